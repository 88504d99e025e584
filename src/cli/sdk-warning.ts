/**
 * The AWS SDK warns, through `process.emitWarning` with no code, that its releases after January
 * 2027 need Node 22; on the command line that is eight lines before every answer. `doctor` says it
 * once instead (see `nodeVersionCheck`). The SDK's documented switch silences exactly that warning.
 */
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Turns the SDK's Node-version warning off for this process, unless the operator set the switch. */
export function quietSdkNodeVersionWarning(proc: { env: Record<string, string | undefined> }): void {
  proc.env[SWITCH] ??= 'true';
}

/** The Node major version the AWS SDK will require, per its warning. */
export const SDK_NODE_MAJOR = 22;
