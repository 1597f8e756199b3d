// @anthropic-ai/sdk (the official SDK): messages.create, then messages.countTokens for the same messages.
// MG_BASE_URL is the root (the SDK adds /v1/messages).
import Anthropic from '@anthropic-ai/sdk';
import { apiKey, baseURL, model, run } from './lib.mjs';

const client = new Anthropic({ baseURL, apiKey, maxRetries: 0 });
const messages = [{ role: 'user', content: 'What is the weather in Lyon?' }];

await run(async () => {
  const message = await client.messages.create({ model, max_tokens: 100, messages });
  const count = process.env.MG_COUNT_TOKENS === '0' ? undefined : await client.messages.countTokens({ model, messages });
  return {
    id: message.id,
    model: message.model,
    text: message.content.filter(block => block.type === 'text').map(block => block.text).join(''),
    stopReason: message.stop_reason,
    usage: message.usage,
    countedInputTokens: count?.input_tokens,
  };
});
