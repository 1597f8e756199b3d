// Hostile callers for the hostile-load benchmark: streaming chat requests whose prompts are degenerate for a BPE
// tokenizer (one letter repeated, a wall of CJK, random printable noise), each dropped by the caller as soon as the
// first byte of the answer arrives, so the gateway must estimate the prompt's tokens itself. Paced at RATE requests
// a second until stopped (SIGTERM or SIGINT), to 127.0.0.1 only; then prints one JSON line with what it did.
// Usage: node hostile-client.js URL KEY MODEL [RATE=20] [PROMPT_CHARS=100000] [PROMPTS=degenerate|plain]
// (plain: ordinary words of the same size, to tell the cost of counting from the cost of large bodies)
'use strict';
const http = require('http');
const [url, key, model, rate = '20', chars = '100000', kind = 'degenerate'] = process.argv.slice(2);
const target = new URL('/v1/chat/completions', url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const n = Number(chars);
let seed = 1;
const noise = () => { let s = ''; for (let i = 0; i < n; i++) { seed = (seed * 48271) % 2147483647; s += String.fromCharCode(33 + (seed % 94)); } return s; };
const plain = () => Array.from({ length: Math.ceil(n / 6) }, (_, i) => ['the', 'model', 'answers', 'a', 'question', 'about', 'cost'][i % 7]).join(' ').slice(0, n);
const prompts = (kind === 'plain' ? [plain()] : ['a'.repeat(n), '中'.repeat(Math.floor(n / 3)), noise()]).map((content) =>
  Buffer.from(JSON.stringify({ model, stream: true, messages: [{ role: 'user', content }] })));
const agent = new http.Agent({ keepAlive: false });
let sent = 0, cut = 0, failed = 0;
const statuses = {};
const send = () => new Promise((resolve) => {
  const body = prompts[sent++ % prompts.length];
  const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${key}` } }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
    if (res.statusCode !== 200) { res.resume(); res.on('end', resolve); return; }
    res.once('data', () => { cut++; req.destroy(); resolve(); });
    res.on('end', resolve);
  });
  req.setTimeout(30000, () => req.destroy());
  req.on('error', () => { failed++; resolve(); });
  req.end(body);
});
const started = Date.now();
const timer = setInterval(send, 1000 / Number(rate));
const stop = () => {
  clearInterval(timer);
  console.log(JSON.stringify({ sent, cut_after_first_byte: cut, failed, statuses, rate: Number(rate), prompt_chars: n, prompts: kind, seconds: (Date.now() - started) / 1000 }));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
