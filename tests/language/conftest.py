"""A small local HTTP server for the language module's clients (translation, the assistant's
language model): the real client code talks to it over a socket."""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Endpoint:
    """Answers ``POST path`` with ``reply(body)`` (a dict sent as JSON, or an int status)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.routes: dict[str, Callable[[dict], dict | int]] = {}
        self.url = ""


@pytest.fixture
def endpoint():
    state = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
            route = state.routes.get(self.path)
            answer = route(body) if route else 404
            if isinstance(answer, int):
                self.send_error(answer)
                return
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()
    server.server_close()


def chat_reply(content: str) -> dict:
    """An OpenAI chat completion carrying ``content``."""
    return {"choices": [{"message": {"role": "assistant", "content": content}}]}
