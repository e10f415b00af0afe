// A minimal Pitwall webhook receiver (docs/api.md, "Webhooks"): verifies each request with the
// Standard Webhooks package and forwards a short text to the shop's SMS / WeCom gateway.
// Run: PITWALL_WEBHOOK_SECRET=whsec_… GATEWAY_URL=https://gateway.example/send node webhook-receiver.mjs
// Needs: npm i standardwebhooks. Put it behind TLS (the hub requires https unless on localhost).
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.PITWALL_WEBHOOK_SECRET);
const seen = new Set(); // webhook-ids handled: a retry or a second hub's copy is answered 200 and dropped
const TEXT = {
  'job.turn_soon': (v) => `${v.workshopName}: your car ${v.plateMasked} is next, from ${v.predictedStart?.earliest.slice(11, 16)}.`,
  'job.ready': (v) => `${v.workshopName}: your car ${v.plateMasked} is ready for pick-up.`,
  'job.promise_at_risk': (v) => `${v.workshopName}: sorry, ${v.plateMasked} will be late; new estimate ${v.predictedReady?.latest.slice(11, 16)}.`,
};

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c)).on('end', async () => {
    let msg;
    try {
      msg = wh.verify(Buffer.concat(chunks).toString('utf8'), req.headers); // the raw body, as signed
    } catch {
      return res.writeHead(401).end(); // bad signature or a timestamp over 5 minutes off
    }
    const id = req.headers['webhook-id'];
    if (seen.has(id)) return res.writeHead(200).end();
    // The shop maps its job id to the customer's phone or WeChat id: Pitwall never holds them.
    const to = await lookUpCustomer(msg.data.workshopId, msg.data.jobId);
    const text = TEXT[msg.type]?.(msg.data.view) + (msg.data.customerUrl ? ` ${msg.data.customerUrl}` : '');
    const sent = to && (await fetch(process.env.GATEWAY_URL, { method: 'POST', body: JSON.stringify({ to, text }) }));
    if (sent && !sent.ok) return res.writeHead(502).end(); // Pitwall retries a 5xx
    seen.add(id);
    res.writeHead(200).end();
  });
}).listen(Number(process.env.PORT ?? 8787));

async function lookUpCustomer(workshopId, jobId) {
  return null; // placeholder: your DMS / CRM lookup, e.g. the phone number taken at the desk
}
