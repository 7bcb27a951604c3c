"""The HTTP calls of the language module: JSON in, JSON out, and the OpenAI-compatible chat
completion that machine translation and the assistant's optional phrasing both use."""

import json
import urllib.error
import urllib.request

USER_AGENT = "Rathaus/1 (digitales Rathaus)"


class EndpointFailed(RuntimeError):
    """The endpoint could not be reached or answered something unexpected."""


def post_json(url: str, body: dict, *, headers: dict[str, str], timeout: float) -> dict:
    request = urllib.request.Request(  # noqa: S310 -- the operator configures the URL
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return json.loads(answer.read())
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as error:
        raise EndpointFailed(f"{url}: {error}") from error


def chat(base_url: str, *, key: str, model: str, system: str, user: str, timeout: float) -> str:
    """The reply of ``POST {base_url}/chat/completions`` to one system and one user message."""
    body = {
        "model": model,
        "temperature": 0,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
    }
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    answer = post_json(
        base_url.rstrip("/") + "/chat/completions", body, headers=headers, timeout=timeout
    )
    try:
        return str(answer["choices"][0]["message"]["content"])
    except (KeyError, IndexError, TypeError) as error:
        raise EndpointFailed(f"the chat endpoint answered {str(answer)[:200]}") from error
