/**
 * The AWS SDK warns, through `process.emitWarning` with no code, that its releases after January
 * 2027 need Node 22; on the command line that is eight lines before every answer. `doctor` says it
 * once instead (`nodeVersionCheck`). The SDK's documented switch silences exactly that warning.
 */
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Turns the SDK's Node-version warning off for this process, unless the operator set the switch. */
export function quietSdkNodeVersionWarning(proc: { env: Record<string, string | undefined> }): void {
  proc.env[SWITCH] ??= 'true';
}

/** The Node major version the AWS SDK will require, per its warning. */
export const SDK_NODE_MAJOR = 22;

/** `doctor`'s line about the Node.js version: what the silenced warning would have said, once. */
export function nodeVersionCheck(version: string): { name: string; status: 'ok'; detail: string } {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  const detail =
    major >= SDK_NODE_MAJOR
      ? `${version}`
      : `${version}; the AWS SDK's releases after January 2027 need Node.js ${SDK_NODE_MAJOR} or later: upgrade before updating the SDK`;
  return { name: 'node', status: 'ok', detail };
}
