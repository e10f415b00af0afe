import { loadConfigFile, type PitwallConfig } from './config-file.js';
import { demoConfig } from './demo.js';
import type { HubEnv } from './env.js';

export { ConfigError, type PitwallConfig, type TokenConfig } from './config-file.js';
export { readEnv, type HubEnv } from './env.js';
export { describeDemoTokens } from './demo.js';

/** The config file named by PITWALL_CONFIG, or the built-in demo workshop when it is unset. */
export async function loadHubConfig(
  env: HubEnv,
): Promise<{ config: PitwallConfig; source: 'file' | 'demo'; demoTokensFile?: string }> {
  if (env.configPath !== undefined) return { config: loadConfigFile(env.configPath), source: 'file' };
  const demo = await demoConfig(env.dataDir);
  return { config: demo.config, source: 'demo', demoTokensFile: demo.tokensFile };
}
