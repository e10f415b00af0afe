// Pitwall red alerts to a group chat (docs/alert-webhooks.md): verifies each webhook with the
// Standard Webhooks package, then posts `alert.raised` / `alert.acknowledged` to a WeCom group
// bot, a DingTalk robot and/or a Microsoft Teams channel (a Workflows webhook), whichever URLs are set.
// Run: PITWALL_WEBHOOK_SECRET=whsec_… WECOM_URL=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… node alert-receiver.mjs
//      (and/or DINGTALK_URL=https://oapi.dingtalk.com/robot/send?access_token=… DINGTALK_SECRET=SEC…, TEAMS_URL=https://…;
//      TZ_NAME=Asia/Shanghai: the time zone of the times in the message; PORT=8788)
// Needs: npm i standardwebhooks. Put it behind TLS (the hub requires https unless on localhost).
// A chat that fails makes the hub retry the message to every chat set here: one receiver per chat avoids repeats.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.PITWALL_WEBHOOK_SECRET);
const seen = new Set(); // webhook-ids handled: a retry or a second hub's copy is answered 200 and dropped
const FIGURE = { utilisation: '工位利用率', laborAchievement: '工时达成率', firstTimeFix: '一次修复率', comebackRate: '返修率', csat: '客户满意度', averageWait: '平均等待' };

/** "bay:B2" → "工位 B2"; a KPI's name → its Chinese label. */
function figureName(metric) {
  return metric.startsWith('bay:') ? `工位 ${metric.slice(4)}` : (FIGURE[metric] ?? metric);
}

/** The facts every chat shows: title line, what, since when, and the hub's own (English) text. */
function facts({ type, data }) {
  const raised = type === 'alert.raised';
  const time = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: process.env.TZ_NAME ?? 'Asia/Shanghai', hour12: false });
  return {
    title: `${raised ? '🔴 红灯' : '✅ 已确认'}：${data.workshopName} · ${figureName(data.metric)}`,
    lines: [`红灯开始：${time(data.since)}`, ...(data.acknowledgedAt ? [`确认时间：${time(data.acknowledgedAt)}`] : []), data.message],
  };
}

/** WeCom group bot: markdown (<font color="warning"> is its red-orange). */
export function toWeCom(msg) {
  const { title, lines } = facts(msg);
  return { msgtype: 'markdown', markdown: { content: [`**<font color="warning">${title}</font>**`, ...lines.map((l) => `> ${l}`)].join('\n') } };
}

/** DingTalk custom robot: markdown, with a title for the notification line. */
export function toDingTalk(msg) {
  const { title, lines } = facts(msg);
  return { msgtype: 'markdown', markdown: { title, text: [`#### ${title}`, ...lines.map((l) => `> ${l}`)].join('\n\n') } };
}

/** Teams Workflows ("Send webhook alerts to a channel"): one Adaptive Card as an attachment. */
export function toTeams(msg) {
  const { title, lines } = facts(msg);
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, color: msg.type === 'alert.raised' ? 'Attention' : 'Good' },
      ...lines.map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'Small' })),
    ],
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/** DingTalk's "加签": timestamp (ms) and the HMAC-SHA256 of "<timestamp>\n<secret>", keyed with the secret, in the query. */
function dingTalkUrl(url, secret) {
  if (!secret) return url;
  const timestamp = Date.now();
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return `${url}&timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
}

// Each target's URL is made per post: DingTalk's signature holds the time and expires after an hour.
const TARGETS = [
  [process.env.WECOM_URL && (() => process.env.WECOM_URL), toWeCom],
  [process.env.DINGTALK_URL && (() => dingTalkUrl(process.env.DINGTALK_URL, process.env.DINGTALK_SECRET)), toDingTalk],
  [process.env.TEAMS_URL && (() => process.env.TEAMS_URL), toTeams],
];

/** WeCom and DingTalk answer 200 with `errcode` (0 = sent; 45009 / 130101: over 20 messages a minute); Teams answers 202. */
async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  return res.ok && (answer.errcode === undefined || answer.errcode === 0);
}

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
    if (seen.has(id) || !msg.type.startsWith('alert.')) return res.writeHead(200).end();
    const sent = await Promise.all(TARGETS.filter(([url]) => url).map(([url, format]) => post(url(), format(msg)).catch(() => false)));
    if (sent.includes(false)) return res.writeHead(502).end(); // Pitwall retries a 5xx, with backoff
    if (seen.size >= 10_000) seen.clear(); // bounded: a repeat arrives within the hub's retry hour, not days later
    seen.add(id);
    res.writeHead(200).end();
  });
}).listen(Number(process.env.PORT ?? 8788));
