// openai (the official SDK): responses.stream, the helper that checks every event against the response it builds
// (and throws on an event type it does not know); with MG_TOOLS=1 it offers a function tool.
import OpenAI from 'openai';
import { apiKey, baseURL, model, run, weatherParameters } from './lib.mjs';

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const tools = process.env.MG_TOOLS
  ? [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherParameters, strict: true }]
  : undefined;

await run(async () => {
  const events = [];
  const deltas = [];
  const argumentDeltas = [];
  const stream = client.responses.stream({ model, input: 'What is the weather in Lyon?', tools });
  stream.on('event', event => events.push(event.type));
  stream.on('response.output_text.delta', event => deltas.push(event.delta));
  stream.on('response.function_call_arguments.delta', event => argumentDeltas.push(event.delta));
  const response = await stream.finalResponse();
  return {
    events,
    deltas,
    text: deltas.join(''),
    finalText: response.output_text,
    status: response.status,
    toolCalls: response.output.filter(item => item.type === 'function_call')
      .map(({ name, call_id, arguments: args }) => ({ name, callId: call_id, arguments: args })),
    arguments: argumentDeltas.join(''),
    usage: response.usage,
  };
});
