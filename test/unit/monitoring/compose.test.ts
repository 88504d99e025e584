import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Service {
  volumes?: string[];
  command?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };

/** A service's bind mounts (`./host:/container[:ro]`), host paths resolved against the repository. */
function bindMounts(service: string): Array<{ host: string; target: string }> {
  return (compose.services[service]?.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [host, target] = v.split(':');
      return { host: join(ROOT, host!), target: target! };
    });
}

/** Where a container path comes from on the host, through the service's bind mounts; null if it is not mounted. */
function hostPathOf(service: string, containerPath: string): string | null {
  for (const { host, target } of bindMounts(service)) {
    if (containerPath === target) return host;
    if (containerPath.startsWith(`${target}/`)) return join(host, posix.relative(target, containerPath));
  }
  return null;
}

/** The files a container sees in folder `dir`: those of a folder mounted over it, and files mounted into it. */
function containerFilesIn(service: string, dir: string): string[] {
  const files: string[] = [];
  const covering = hostPathOf(service, dir);
  if (covering && existsSync(covering) && statSync(covering).isDirectory()) files.push(...readdirSync(covering));
  for (const { host, target } of bindMounts(service)) {
    if (posix.dirname(target) === dir && existsSync(host) && statSync(host).isFile()) files.push(posix.basename(target));
  }
  return files;
}

describe('docker-compose.yml’s monitoring profile', () => {
  it('mounts only files and folders that exist in the repository', () => {
    for (const service of ['grafana', 'prometheus']) {
      const mounts = bindMounts(service);
      expect(mounts.length, service).toBeGreaterThan(0);
      for (const { host } of mounts) expect(existsSync(host), host).toBe(true);
    }
  });

  it('gives Grafana a dashboards provider whose path is where the shipped dashboard is mounted', () => {
    const provisioning = hostPathOf('grafana', '/etc/grafana/provisioning');
    expect(provisioning).not.toBeNull();
    const providerFiles = readdirSync(join(provisioning!, 'dashboards')).filter((f) => /\.ya?ml$/.test(f));
    expect(providerFiles.length).toBeGreaterThan(0);
    const providers = providerFiles.flatMap((f) => (parse(readFileSync(join(provisioning!, 'dashboards', f), 'utf8')) as { providers: Array<{ type: string; options: { path: string } }> }).providers);
    const loaded = providers.filter((p) => p.type === 'file').flatMap((p) => containerFilesIn('grafana', p.options.path).filter((f) => f.endsWith('.json')));
    expect(loaded).toContain('s3-chatops.json');
    // What Grafana loads is the shipped dashboard itself.
    const mounted = hostPathOf('grafana', `${providers[0]!.options.path}/s3-chatops.json`);
    expect(readFileSync(mounted!, 'utf8')).toBe(readFileSync(join(ROOT, 'monitoring/grafana/s3-chatops.json'), 'utf8'));
  });

  it('gives Grafana the Prometheus datasource of the same compose file', () => {
    const provisioning = hostPathOf('grafana', '/etc/grafana/provisioning')!;
    const files = readdirSync(join(provisioning, 'datasources')).filter((f) => /\.ya?ml$/.test(f));
    const sources = files.flatMap((f) => (parse(readFileSync(join(provisioning, 'datasources', f), 'utf8')) as { datasources: Array<{ type: string; url: string }> }).datasources);
    expect(sources.filter((s) => s.type === 'prometheus').map((s) => s.url)).toContain('http://prometheus:9090');
    expect(compose.services.prometheus).toBeDefined();
  });

  it('points Prometheus at a configuration whose rule files are mounted next to it', () => {
    const command = compose.services.prometheus!.command ?? [];
    const configPath = command.find((c) => c.startsWith('--config.file='))!.split('=')[1]!;
    const config = hostPathOf('prometheus', configPath);
    expect(config).not.toBeNull();
    const rules = (parse(readFileSync(config!, 'utf8')) as { rule_files: string[] }).rule_files;
    expect(rules.length).toBeGreaterThan(0);
    for (const file of rules) expect(existsSync(join(config!, '..', file)), file).toBe(true);
  });
});
