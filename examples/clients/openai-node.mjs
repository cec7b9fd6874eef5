// Gantry with the official OpenAI Node client (npm install openai): the served model, a greedy completion and a
// streamed chat completion. Each result is printed as one JSON line. GANTRY_URL defaults to a local
// `./gantry serve`; GANTRY_API_KEY is sent as the bearer token when the service requires one.
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: process.env.GANTRY_URL ?? "http://localhost:8000/v1",
  apiKey: process.env.GANTRY_API_KEY ?? "not-needed",
});

const models = await client.models.list();
const model = models.data[0].id;
console.log(JSON.stringify({ step: "models", ids: models.data.map((m) => m.id) }));

const completion = await client.completions.create({
  model,
  prompt: "Once upon a time",
  max_tokens: 32,
  temperature: 0,
});
console.log(JSON.stringify({
  step: "completion",
  text: completion.choices[0].text,
  finish_reason: completion.choices[0].finish_reason,
  usage: completion.usage,
}));

const stream = await client.chat.completions.create({
  model,
  messages: [{ role: "user", content: "Tell me a story." }],
  max_tokens: 32,
  stream: true,
});
let text = "";
let finishReason = null;
for await (const chunk of stream) {
  text += chunk.choices[0]?.delta?.content ?? "";
  finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
}
console.log(JSON.stringify({ step: "chat-stream", text, finish_reason: finishReason }));
