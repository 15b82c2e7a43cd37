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
        .filter(|p| !p.ends_with("mod.rs"))
        .collect();
    sources.sort();
    for src in sources {
        let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
        let mut cfg = config.clone();
        cfg.include_guard = Some(format!("EVENT_RS_GEN_{}_H", stem.to_uppercase()));
        cfg.after_includes = match stem.as_str() {
            // cbindgen has no array parameters: a prototype that needs one names a typedef,
            // declared in the generated file itself so that it also compiles after the
            // system's headers.
            "bufferevent" => Some(
                "/** The `pair` parameter of bufferevent_pair_new(): an array of two bufferevent pointers. */\n\
                 typedef struct bufferevent *event_rs_bufferevent_pair_[2];"
                    .into(),
            ),
            // libevent 2.1's headers have no WebSocket session type: declared here for the
            // check that compiles this file after them.
            "ws" => Some("struct evws_connection;".into()),
            // libevent 2.1's headers have no extension-method type (2.2's): declared here for
            // the check that compiles this file after them, unless event2/http.h did.
            "http" => Some(
                "#ifndef EVENT_RS_HTTP_EXT_METHOD_CB\n/* libevent 2.2's extension method callback: documented in event2/http.h. */\nstruct evhttp_ext_method;\ntypedef int (*evhttp_ext_method_cb)(struct evhttp_ext_method *);\n#endif".into(),
            ),
            // libevent 2.2's enum, named by a prototype: defined here, so that the prototype
            // also compiles after the system's (2.1) headers, which lack it.
            "dns" => Some(
                "#ifndef EVENT_RS_EVDNS_SERVER_OPTION_\n#define EVENT_RS_EVDNS_SERVER_OPTION_\n\
                 /** libevent 2.2 (on the 2.1 ABI): the options of evdns_server_port_set_option(), for TCP server ports. */\n\
                 enum evdns_server_option {\n\
                 \x20 EVDNS_SOPT_TCP_MAX_CLIENTS, /**< connections served at once (0: no limit); more wait in the listener's backlog */\n\
                 \x20 EVDNS_SOPT_TCP_IDLE_TIMEOUT /**< seconds a client connection may stay silent (0: no limit; 10 by default) */\n\
                 };\n#endif"
                    .into(),
            ),
            // watch.h has no counterpart among the system's 2.1 headers: its types are repeated
            // here (unless event2/watch.h declared them already), so that the file compiles
            // after those.
            "watch" => Some(
                concat!(
                    "/* The types of event2/watch.h (documented there), repeated for a lone include. */\n",
                    "#ifndef EVENT_RS_WATCH_TYPES_\n#define EVENT_RS_WATCH_TYPES_\n",
                    "struct event_base;\nstruct evwatch;\nstruct evwatch_prepare_cb_info;\nstruct evwatch_check_cb_info;\n",
                    "typedef void (*evwatch_prepare_cb)(struct evwatch *, const struct evwatch_prepare_cb_info *, void *);\n",
                    "typedef void (*evwatch_check_cb)(struct evwatch *, const struct evwatch_check_cb_info *, void *);\n",
                    "#endif"
                )
                .into(),
            ),
            _ => None,
        };
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
