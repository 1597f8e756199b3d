// The OpenAI Agents SDK in its default mode (the Responses API through its default OpenAI provider), with an OpenAI
// client pointed at MG_BASE_URL and tracing off: run(agent, input) with a function tool, so two model calls (the tool
// call, then the answer to its output). MG_STREAM=1 runs it streamed.
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { apiKey, baseURL, model, run as print } from './lib.mjs';

setTracingDisabled(true);
setDefaultOpenAIClient(new OpenAI({ baseURL, apiKey, maxRetries: 0 }));

const getWeather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `sunny in ${city}`,
});
const agent = new Agent({ name: 'Weather', instructions: 'Answer with the weather.', model, tools: [getWeather] });

await print(async () => {
  const stream = process.env.MG_STREAM === '1';
  const result = stream
    ? await run(agent, 'What is the weather in Lyon?', { stream: true })
    : await run(agent, 'What is the weather in Lyon?');
  if (stream) {
    await result.completed;
  }
  const items = result.newItems.map(item => item.type);
  return {
    text: result.finalOutput,
    items,
    toolCalls: result.newItems.filter(i => i.type === 'tool_call_item')
      .map(i => ({ name: i.rawItem.name, callId: i.rawItem.callId, arguments: i.rawItem.arguments })),
    toolOutputs: result.newItems.filter(i => i.type === 'tool_call_output_item').map(i => i.output),
    modelCalls: result.rawResponses.length,
    usage: result.state.usage,
  };
});
