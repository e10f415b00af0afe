import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { workshopConfigFor, type WorkshopShape } from './traffic.js';

/**
 * The config file a bench hub starts with (docs/api.md, the config file): W workshops, a
 * terminal token per workshop (a token opens only its own workshop, as in a real chain), and
 * one board token for every workshop (the TVs).
 */

export interface BenchConfig {
  file: string;
  workshops: WorkshopConfig[];
  terminalTokens: string[];
  boardToken: string;
  adminToken: string;
}

export function terminalToken(index: number): string {
  return `bench-terminal-${String(index + 1).padStart(6, '0')}`;
}

export const BOARD_TOKEN = 'bench-board-token-all';
export const ADMIN_TOKEN = 'bench-admin-token-all';

export function writeBenchConfig(dir: string, count: number, shape: WorkshopShape, name = 'pitwall-bench.json'): BenchConfig {
  const workshops = Array.from({ length: count }, (_, i) => workshopConfigFor(i, shape));
  const terminalTokens = workshops.map((_, i) => terminalToken(i));
  const file = path.join(dir, name);
  const json = {
    workshops,
    tokens: [
      ...workshops.map((w, i) => ({ token: terminalTokens[i], role: 'terminal', workshops: [w.id] })),
      { token: BOARD_TOKEN, role: 'board', workshops: ['*'] },
      { token: ADMIN_TOKEN, role: 'admin', workshops: ['*'] },
    ],
  };
  writeFileSync(file, JSON.stringify(json));
  return { file, workshops, terminalTokens, boardToken: BOARD_TOKEN, adminToken: ADMIN_TOKEN };
}
