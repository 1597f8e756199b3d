// Hostile callers for the hostile-load benchmark: streaming chat requests whose prompts are degenerate for a BPE
// tokenizer (one letter repeated, a wall of CJK, random printable noise), each dropped by the caller as soon as the
// first byte of the answer arrives, so the gateway must estimate the prompt's tokens itself. Paced at RATE requests
// a second for DURATION seconds, to 127.0.0.1 only. Prints one JSON line with what it did.
// Usage: node hostile-client.js URL KEY MODEL [RATE=20] [DURATION=30] [PROMPT_CHARS=100000]
'use strict';
const http = require('http');
const [url, key, model, rate = '20', duration = '30', chars = '100000'] = process.argv.slice(2);
const target = new URL('/v1/chat/completions', url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const n = Number(chars);
let seed = 1;
const noise = () => { let s = ''; for (let i = 0; i < n; i++) { seed = (seed * 48271) % 2147483647; s += String.fromCharCode(33 + (seed % 94)); } return s; };
const prompts = ['a'.repeat(n), '中'.repeat(Math.floor(n / 3)), noise()].map((content) =>
  Buffer.from(JSON.stringify({ model, stream: true, messages: [{ role: 'user', content }] })));
const agent = new http.Agent({ keepAlive: false });
let sent = 0, cut = 0, failed = 0;
const send = () => new Promise((resolve) => {
  const body = prompts[sent++ % prompts.length];
  const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${key}` } }, (res) => {
    res.once('data', () => { cut++; req.destroy(); resolve(); });
    res.on('end', resolve);
  });
  req.on('error', () => { failed++; resolve(); });
  req.end(body);
});
const end = Date.now() + Number(duration) * 1000;
const inFlight = new Set();
const timer = setInterval(() => {
  if (Date.now() >= end) {
    clearInterval(timer);
    Promise.all(inFlight).then(() => console.log(JSON.stringify({ sent, cut, failed, rate: Number(rate), prompt_chars: n })));
    return;
  }
  const p = send().then(() => inFlight.delete(p));
  inFlight.add(p);
}, 1000 / Number(rate));
