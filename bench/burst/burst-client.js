// A burst for the memory-after-overload benchmark: CONNECTIONS callers at once, each on its own connection, each a
// streaming chat request read to the end. To 127.0.0.1 only. Prints one JSON line: statuses seen and time taken.
// Usage: node burst-client.js URL KEY MODEL [CONNECTIONS=5000]
'use strict';
const http = require('http');
const [url, key, model, connections = '5000'] = process.argv.slice(2);
const target = new URL('/v1/chat/completions', url);
if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error('loopback only');
const body = Buffer.from(JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hello' }] }));
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const statuses = {};
const started = Date.now();
const one = () => new Promise((resolve) => {
  const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${key}` } }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
    res.resume();
    res.on('end', resolve);
    res.on('error', resolve);
  });
  req.on('error', (e) => { statuses[e.code || 'error'] = (statuses[e.code || 'error'] || 0) + 1; resolve(); });
  req.end(body);
});
Promise.all(Array.from({ length: Number(connections) }, one)).then(() =>
  console.log(JSON.stringify({ connections: Number(connections), statuses, seconds: (Date.now() - started) / 1000 })));
