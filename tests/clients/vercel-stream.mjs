// The Vercel AI SDK with its default OpenAI provider (the Responses API): streamText; MG_TOOLS=1 as in vercel-generate.
import { createOpenAI } from '@ai-sdk/openai';
import { jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { apiKey, baseURL, model, run, weatherParameters } from './lib.mjs';

const openai = createOpenAI({ baseURL, apiKey });
const tools = process.env.MG_TOOLS ? {
  get_weather: tool({
    description: 'Weather for a city',
    inputSchema: jsonSchema(weatherParameters),
    execute: async ({ city }) => `sunny in ${city}`,
  }),
} : undefined;

await run(async () => {
  const errors = [];
  const result = streamText({
    model: openai(model), prompt: 'What is the weather in Lyon?', tools, stopWhen: stepCountIs(2), maxRetries: 0,
    onError: ({ error }) => errors.push(error),
  });
  try {
    return await collect(result, errors);
  } catch (error) {
    // streamText reports a failed request to onError and then rejects with "No output generated": report the cause.
    throw errors[0] ?? error;
  }
});

async function collect(result, errors) {
  const parts = [];
  const deltas = [];
  for await (const part of result.fullStream) {
    parts.push(part.type);
    if (part.type === 'text-delta') {
      deltas.push(part.text);
    }
  }
  const steps = await result.steps;
  return {
    parts: [...new Set(parts)],
    deltas,
    text: await result.text,
    finishReason: await result.finishReason,
    steps: steps.length,
    toolCalls: steps.flatMap(step => step.toolCalls).map(c => ({ name: c.toolName, callId: c.toolCallId, input: c.input })),
    toolResults: steps.flatMap(step => step.toolResults).map(r => r.output),
    usage: await result.totalUsage,
    errors: errors.map(error => String(error?.message ?? error)),
  };
}
