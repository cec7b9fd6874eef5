"""Gantry with the official OpenAI Python client (pip install openai): the served model, a greedy completion and a
streamed chat completion. GANTRY_URL defaults to a local `./gantry serve`; GANTRY_API_KEY is sent as the bearer
token when the service requires one.

Untested in Gantry's own build: the machines it is built on reach no Python package index. It mirrors
openai-node.mjs, which the build runs against the service.
"""
import os

from openai import OpenAI

client = OpenAI(base_url=os.environ.get("GANTRY_URL", "http://localhost:8000/v1"),
                api_key=os.environ.get("GANTRY_API_KEY", "not-needed"))

model = client.models.list().data[0].id
print("model:", model)

completion = client.completions.create(model=model, prompt="Once upon a time", max_tokens=32, temperature=0)
print("completion:", repr(completion.choices[0].text), completion.choices[0].finish_reason)

stream = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Tell me a story."}],
                                        max_tokens=32, stream=True)
text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
print("chat:", repr(text))
