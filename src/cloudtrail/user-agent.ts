/** Which client made a CloudTrail call, as a person reads it, from the event's `userAgent`. */

const SDK_LANGUAGES: readonly [RegExp, string][] = [
  [/\baws-sdk-js\b|\baws-sdk-nodejs\b|\blang\/js\b/i, 'JavaScript'],
  [/\bBoto3\/|\bBotocore\/|\baws-sdk-python\b/i, 'Python'],
  [/\baws-sdk-java\b/i, 'Java'],
  [/\baws-sdk-go(-v2)?\b/i, 'Go'],
  [/\baws-sdk-dotnet\b|\baws-sdk-net\b/i, '.NET'],
  [/\baws-sdk-ruby\d*\b/i, 'Ruby'],
  [/\baws-sdk-php\b/i, 'PHP'],
  [/\baws-sdk-rust\b/i, 'Rust'],
  [/\baws-sdk-cpp\b/i, 'C++'],
  [/\baws-sdk-kotlin\b/i, 'Kotlin'],
  [/\baws-sdk-swift\b/i, 'Swift'],
];

/** The most characters of an unrecognised user agent shown. */
const UNKNOWN_CHARS = 40;

function version(agent: string, name: RegExp): string {
  const m = name.exec(agent);
  return m?.[1] ? ` ${m[1]}` : '';
}

/**
 * `console`, `AWS CLI 2.15.0`, `SDK (Python)`, `Terraform 1.5.7`, `CloudFormation`, `AWS CDK`,
 * `Pulumi`, `AWS service s3.amazonaws.com`, or the agent's first word where none of those fits.
 */
export function readableClient(userAgent: unknown): string {
  const agent = typeof userAgent === 'string' ? userAgent.trim() : '';
  if (agent === '') return 'unknown client';
  // Tools first: Terraform and the CDK call through an SDK and say so after their own name.
  if (/\bTerraform\//i.test(agent)) return `Terraform${version(agent, /\bTerraform\/([\w.]+)/i)}`;
  if (/\bcloudformation\.amazonaws\.com\b/i.test(agent)) return 'CloudFormation';
  if (/\baws-cdk\b|\bCDK\//i.test(agent)) return 'AWS CDK';
  if (/\bPulumi\b/i.test(agent)) return 'Pulumi';
  if (/^(signin|console)\.amazonaws\.com$|\bS3Console\/|\bAWSConsole\b|^AWS Internal$/i.test(agent)) return 'console';
  if (/^aws-cli\//i.test(agent)) return `AWS CLI${version(agent, /^aws-cli\/([\w.]+)/i)}`;
  for (const [pattern, language] of SDK_LANGUAGES) if (pattern.test(agent)) return `SDK (${language})`;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/i.test(agent)) return `AWS service ${agent}`;
  const first = agent.split(/\s+/, 1)[0]!;
  return [...first].length > UNKNOWN_CHARS ? `${[...first].slice(0, UNKNOWN_CHARS).join('')}…` : first;
}
