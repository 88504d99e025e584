/** The Microsoft 365 Agents SDK's CloudAdapter, configured from the bot's settings, its connector calls bounded. */
import { CloudAdapter, type AuthConfiguration, type Connections, type ConnectorClient, type TurnContext } from '@microsoft/agents-hosting';
import type { TeamsBotSettings } from '../config/load.js';

/** How long one call to the Bot Connector (a reply, an edit, an audit post) may take before it is cancelled. */
export const TEAMS_CONNECTOR_DEADLINE_MS = 10_000;

export interface TeamsAdapterOptions {
  /** Where outbound tokens come from; MSAL against the configured authority by default. */
  connections?: Connections;
  connectorDeadlineMs?: number;
}

/** The SDK's auth configuration: inbound tokens are checked against the authority's keys and issuers. */
export function teamsAuthConfiguration(settings: TeamsBotSettings): AuthConfiguration {
  return {
    clientId: settings.appId,
    tenantId: settings.tenantId,
    ...(settings.password ? { clientSecret: settings.password } : {}),
    ...(settings.certPemFile && settings.certKeyFile ? { certPemFile: settings.certPemFile, certKeyFile: settings.certKeyFile } : {}),
    ...(settings.authority ? { authority: settings.authority } : {}),
    // A token must come from the bot's tenant (or Microsoft's own services), not only carry its audience.
    validateIssuer: true,
  };
}

/** A CloudAdapter whose every Bot Connector call is cancelled at its deadline (the SDK sets none). */
class BoundedCloudAdapter extends CloudAdapter {
  constructor(
    auth: AuthConfiguration,
    private readonly deadlineMs: number,
  ) {
    // An activity must name the serviceUrl its token was issued for: the bot sends its own
    // connector token there, so a token for one service must not send it to another host.
    super(auth, undefined, undefined, { validateServiceUrl: true });
  }

  protected override setConnectorClient(context: TurnContext, connectorClient?: ConnectorClient): void {
    if (connectorClient) boundRequests(connectorClient, this.deadlineMs);
    super.setConnectorClient(context, connectorClient);
  }
}

/** Cancels each of the client's requests at `deadlineMs`, or sooner when `signal` aborts (its holder lost the alert's lock). */
export function boundRequests(client: ConnectorClient, deadlineMs: number, signal?: AbortSignal): void {
  const http = client.httpClient;
  const request = http.request.bind(http);
  http.request = (config) => {
    const deadline = AbortSignal.timeout(deadlineMs);
    const stop = [config.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    return request({ ...config, signal: stop.length > 0 ? AbortSignal.any([...stop, deadline]) : deadline });
  };
}

/** Builds the adapter for the bot's settings. */
export function createTeamsAdapter(settings: TeamsBotSettings, options: TeamsAdapterOptions = {}): CloudAdapter {
  const adapter = new BoundedCloudAdapter(teamsAuthConfiguration(settings), options.connectorDeadlineMs ?? TEAMS_CONNECTOR_DEADLINE_MS);
  if (options.connections) adapter.connectionManager = options.connections;
  return adapter;
}
