"""The other server of run.sh's "ws" rows: a WebSocket echo server on the Python `websockets`
package (PyPI), its asyncio implementation on the standard event loop, as its documentation
writes one. Listens on 127.0.0.1, any free port, printed on the first line; echoes each message
back as it came (text or binary); runs until killed. Compression off, as ours has none (the
client offers none either); no message size limit.
    build/venv/bin/python benches/ws_echo_server.py"""
import asyncio

from websockets.asyncio.server import serve


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def main():
    async with serve(echo, "127.0.0.1", 0, compression=None, max_size=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().create_future()  # until killed


asyncio.run(main())
