// Reading what the shipped monitoring files ask of Prometheus: dashboard queries, rule names.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const MONITORING = fileURLToPath(new URL('../../../monitoring/', import.meta.url));

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan']);

/** Grafana's interval variables replaced by durations, so the query is plain PromQL. */
export function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m');
}

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or strings. */
export function metricNamesIn(expr: string): string[] {
  const plain = withGrafanaVariables(expr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings (label values)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const match of plain.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name!.toLowerCase())) continue;
    names.add(name!);
  }
  return [...names];
}

interface DashboardTarget {
  expr?: string;
}
interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}
export interface Dashboard {
  title: string;
  uid: string;
  panels: DashboardPanel[];
}

/** The shipped Grafana dashboard, parsed. */
export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(`${MONITORING}grafana/s3-chatops.json`, 'utf8')) as Dashboard;
}

/** Every panel (rows' panels included) with its queries. */
export function dashboardPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every `expr` in the dashboard, with the title of its panel. */
export function dashboardQueries(dashboard: Dashboard): Array<{ panel: string; expr: string }> {
  return dashboardPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })));
}

/** The names the shipped recording rules define. */
export function recordedNames(): string[] {
  const file = parse(readFileSync(`${MONITORING}prometheus/recording-rules.yml`, 'utf8')) as { groups: Array<{ rules: Array<{ record?: string }> }> };
  return file.groups.flatMap((g) => g.rules.map((r) => r.record).filter((r): r is string => Boolean(r)));
}

/** Every `expr` of the shipped recording and alerting rules, with the rule's name. */
export function ruleExpressions(): Array<{ rule: string; expr: string }> {
  return ['recording-rules.yml', 'alerts.yml'].flatMap((file) => {
    const parsed = parse(readFileSync(`${MONITORING}prometheus/${file}`, 'utf8')) as { groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }> };
    return parsed.groups.flatMap((g) => g.rules.map((r) => ({ rule: r.record ?? r.alert ?? '?', expr: r.expr })));
  });
}
