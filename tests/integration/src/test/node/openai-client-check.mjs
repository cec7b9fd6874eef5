// Drives a running Gantry service with the official OpenAI Node client, as an application would, and prints
// what it saw as one JSON object for the Java test to check. Arguments: base URL (…/v1), prompt, max tokens.
import OpenAI from 'openai';

const [baseURL, prompt, maxTokensArg] = process.argv.slice(2);
const maxTokens = Number(maxTokensArg);
const client = new OpenAI({ baseURL, apiKey: 'not-needed', maxRetries: 0, timeout: 60_000 });
const out = {};

const models = await client.models.list();
out.models = models.data.map((m) => m.id);
const model = out.models[0];

// Completions, in one response: with token ids in the log-probabilities (a vLLM extra the client passes on).
const completion = await client.completions.create({
  model, prompt, max_tokens: maxTokens, temperature: 0, logprobs: 0, return_tokens_as_token_ids: true,
});
out.completion = {
  object: completion.object,
  text: completion.choices[0].text,
  tokens: completion.choices[0].logprobs.tokens.map((t) => Number(t.slice('token_id:'.length))),
  finishReason: completion.choices[0].finish_reason,
  usage: completion.usage,
};

// Completions, streamed.
const completionStream = await client.completions.create({
  model, prompt, max_tokens: maxTokens, temperature: 0, stream: true, stream_options: { include_usage: true },
});
out.completionStream = { text: '', chunks: 0, finishReason: null, usage: null };
for await (const chunk of completionStream) {
  out.completionStream.chunks++;
  for (const choice of chunk.choices) {
    out.completionStream.text += choice.text;
    if (choice.finish_reason) out.completionStream.finishReason = choice.finish_reason;
  }
  if (chunk.usage) out.completionStream.usage = chunk.usage;
}

// Chat, in one response and streamed.
const messages = [
  { role: 'system', content: 'You tell short stories.' },
  { role: 'user', content: prompt || 'Tell me a story.' },
];
const chat = await client.chat.completions.create({ model, messages, max_tokens: 24, temperature: 0 });
out.chat = {
  object: chat.object,
  role: chat.choices[0].message.role,
  content: chat.choices[0].message.content,
  finishReason: chat.choices[0].finish_reason,
  usage: chat.usage,
};
const chatStream = await client.chat.completions.create({
  model, messages, max_tokens: 24, temperature: 0, stream: true, stream_options: { include_usage: true },
});
out.chatStream = { role: null, content: '', finishReason: null, usage: null };
for await (const chunk of chatStream) {
  for (const choice of chunk.choices) {
    if (choice.delta.role) out.chatStream.role = choice.delta.role;
    if (choice.delta.content) out.chatStream.content += choice.delta.content;
    if (choice.finish_reason) out.chatStream.finishReason = choice.finish_reason;
  }
  if (chunk.usage) out.chatStream.usage = chunk.usage;
}

// Errors reach the application as the client's typed errors, with OpenAI's fields.
async function failure(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return { name: e.constructor.name, status: e.status, param: e.param ?? null, code: e.code ?? null, type: e.type ?? null };
  }
}
out.unknownModel = await failure(() => client.completions.create({ model: 'gpt-4o', prompt: 'x', max_tokens: 1 }));
out.badTemperature = await failure(() => client.chat.completions.create({ model, messages, temperature: 7 }));
out.unknownField = await failure(() => client.completions.create({ model, prompt: 'x', frobnicate: true }));

console.log(JSON.stringify(out));
