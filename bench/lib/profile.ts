import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes.js';

/**
 * The top of a V8 CPU profile (node --cpu-prof): self time per function, heaviest first, so a
 * run with --profile prints where the hub spends its time without opening DevTools.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  frame: string;
  selfMs: number;
  share: number;
}

export function topFrames(file: string, count = 20): { totalMs: number; idleMs: number; frames: Frame[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFrame = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFrame.set(key, (byFrame.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const frames = [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 }));
  return { totalMs: total / 1000, idleMs: idle / 1000, frames };
}

function shorten(url: string): string {
  const p = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = p.lastIndexOf('/node_modules/');
  if (nm !== -1) return p.slice(nm + 14);
  // bench/.build/<pid>/server/x.js is server/x.ts transpiled (line numbers near the source's).
  const rel = p.startsWith(ROOT) ? path.relative(ROOT, p) : p;
  return rel.replace(/^bench\/\.build\/\d+\//, '').replace(/\.js$/, '.ts');
}
