// The Vercel AI SDK with its default OpenAI provider (createOpenAI(...)(model) is the Responses API): generateText.
// MG_TOOLS=1: a tool with execute, run over two steps (the second request carries the call and its output).
// MG_TURNS=2: a second turn that sends the first call's messages back (responseMessages: every step's) with a new question.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
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
  const messages = [{ role: 'user', content: 'What is the weather in Lyon?' }];
  const first = await generateText({ model: openai(model), messages, tools, stopWhen: stepCountIs(2), maxRetries: 0 });
  const results = [first];
  if (process.env.MG_TURNS === '2') {
    messages.push(...first.responseMessages, { role: 'user', content: 'And tomorrow?' });
    results.push(await generateText({ model: openai(model), messages, maxRetries: 0 }));
  }
  return results.map(result => ({
    text: result.text,
    finishReason: result.finishReason,
    steps: result.steps.length,
    toolCalls: result.steps.flatMap(step => step.toolCalls).map(c => ({ name: c.toolName, callId: c.toolCallId, input: c.input })),
    toolResults: result.steps.flatMap(step => step.toolResults).map(r => r.output),
    usage: result.totalUsage,
    responseId: result.response.id,
  }));
});
