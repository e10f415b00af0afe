/**
 * The release, as `/healthz` reports it and the pages show it in their footer. Kept by hand
 * with package.json's `version` and CHANGELOG.md's newest entry (test/unit/version.test.ts):
 * the client bundle cannot read package.json, and the hub should not at run time.
 */
export const PITWALL_VERSION = '0.2.0';
