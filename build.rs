//! Generates the function prototypes of the public headers from the Rust exports, and builds
//! the C shim (the few functions Rust cannot define: C variadics).
//!
//! Each `src/capi/<name>.rs` becomes `include/event2/gen/<name>.h`, which the hand-written
//! header for that API includes after declaring the types, macros and constants.
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/capi");
    println!("cargo:rerun-if-changed=src/shim");
    println!("cargo:rerun-if-changed=include");

    let config = cbindgen::Config::from_file("cbindgen.toml").expect("cbindgen.toml is valid");
    let mut sources: Vec<_> = fs::read_dir("src/capi")
        .expect("src/capi exists")
        .map(|e| e.expect("readable src/capi").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| !p.ends_with("mod.rs") && !p.ends_with("types.rs"))
        .collect();
    sources.sort();
    for src in sources {
        let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
        let mut cfg = config.clone();
        cfg.include_guard = Some(format!("EVENT_RS_GEN_{}_H", stem.to_uppercase()));
        // cbindgen has no array parameters: a prototype that needs one names a typedef, declared
        // in the generated file itself so that it also compiles after the system's headers.
        if stem == "bufferevent" {
            cfg.after_includes = Some("typedef struct bufferevent *event_rs_bufferevent_pair_[2];".into());
        }
        // libevent 2.1's headers have no WebSocket session type: declared here for the check
        // that compiles this file after them.
        // libevent 2.1's headers have no extension-method type (2.2's): declared here for the
        // check that compiles this file after them, unless event2/http.h did.
        if stem == "http" {
            cfg.after_includes = Some(
                "#ifndef EVENT_RS_HTTP_EXT_METHOD_CB\nstruct evhttp_ext_method;\ntypedef int (*evhttp_ext_method_cb)(struct evhttp_ext_method *);\n#endif".into(),
            );
        }
        if stem == "ws" {
            cfg.after_includes = Some("struct evws_connection;".into());
        }
        cbindgen::Builder::new()
            .with_config(cfg)
            .with_src(&src)
            .generate()
            .unwrap_or_else(|e| panic!("cbindgen failed on {}: {e}", src.display()))
            .write_to_file(Path::new("include/event2/gen").join(format!("{stem}.h")));
    }

    let mut shims: Vec<_> = fs::read_dir("src/shim")
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_else(|_| Vec::new());
    shims.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "c"));
    shims.sort();
    if !shims.is_empty() {
        cc::Build::new()
            .files(&shims)
            .include("include")
            .flag("-fvisibility=default")
            .warnings(true)
            .compile("event_rs_shim");
    }
}
