// openai (the official SDK): responses.create, non-streaming; with MG_TOOLS=1 it offers a function tool.
import OpenAI from 'openai';
import { apiKey, baseURL, model, run, weatherParameters } from './lib.mjs';

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const tools = process.env.MG_TOOLS
  ? [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherParameters, strict: true }]
  : undefined;

await run(async () => {
  const response = await client.responses.create({ model, input: 'What is the weather in Lyon?', instructions: 'Be brief.', tools });
  return {
    id: response.id,
    status: response.status,
    model: response.model,
    text: response.output_text,
    output: response.output.map(item => item.type),
    toolCalls: response.output.filter(item => item.type === 'function_call')
      .map(({ name, call_id, arguments: args }) => ({ name, callId: call_id, arguments: args })),
    usage: response.usage,
  };
});
