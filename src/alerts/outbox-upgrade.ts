/**
 * The move of the outboxes of earlier releases into the one outbox layout (`alerts/outbox.ts`):
 * Slack's (`alerts:outbox:<id>` with `alerts:pending`, its step records in `alerts:delivery:<id>`
 * with the bare version for the main step, its messages in `alerts:messages:<id>`) and the Teams
 * webhook's (`teams:pending:<id>` versions, `teams:events:<id>`, `teams:sent:<id>`,
 * `teams:pending-alerts`). Each alert moves in one script, so a change is never in both layouts
 * nor in neither; a move repeated (by another worker, or after a failure) finds nothing left to
 * move. The earlier release queued a change for Teams from Slack's delivery, just before its
 * Slack step: a change still in Slack's old outbox that Teams has not had goes to Teams' outbox too.
 */
import type { Redis } from 'ioredis';
import { OutboxKeys } from './outbox.js';

/** The destination names the earlier layouts belonged to. */
const SLACK = 'slack';
const TEAMS = 'teams';

// KEYS: Slack's old outbox list, delivery hash, messages hash, pending set; Slack's new events list,
// steps hash, messages hash, pending set; Teams' old pending zset, events hash, sent set,
// pending-alerts set; Teams' new events list, pending set.
// ARGV: alert id, '1' when Teams is a configured destination.
const MOVE = `
local id = ARGV[1]
local function merge(listKey, pendingKey, moved)
  if #moved == 0 then return end
  local byVersion, versions = {}, {}
  local function put(raw)
    local v = tonumber(cjson.decode(raw).version)
    if byVersion[v] == nil then
      byVersion[v] = raw
      table.insert(versions, v)
    end
  end
  for _, raw in ipairs(redis.call('LRANGE', listKey, 0, -1)) do put(raw) end
  for _, raw in ipairs(moved) do put(raw) end
  table.sort(versions)
  redis.call('DEL', listKey)
  for _, v in ipairs(versions) do redis.call('RPUSH', listKey, byVersion[v]) end
  redis.call('SADD', pendingKey, id)
end
local slackOld = redis.call('LRANGE', KEYS[1], 0, -1)
merge(KEYS[5], KEYS[8], slackOld)
local steps = redis.call('HGETALL', KEYS[2])
for i = 1, #steps, 2 do
  local field = steps[i]
  if not string.find(field, ':', 1, true) then field = field .. ':main' end
  redis.call('HSET', KEYS[6], field, steps[i + 1])
end
local refs = redis.call('HGETALL', KEYS[3])
for i = 1, #refs, 2 do redis.call('HSETNX', KEYS[7], refs[i], refs[i + 1]) end
local teamsOld = {}
for _, v in ipairs(redis.call('ZRANGE', KEYS[9], 0, -1)) do
  local raw = redis.call('HGET', KEYS[10], v)
  if raw then table.insert(teamsOld, raw) end
end
if ARGV[2] == '1' then
  for _, raw in ipairs(slackOld) do
    local v = string.format('%d', cjson.decode(raw).version)
    if redis.call('SISMEMBER', KEYS[11], v) == 0 then table.insert(teamsOld, raw) end
  end
end
merge(KEYS[13], KEYS[14], teamsOld)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[9], KEYS[10], KEYS[11])
redis.call('SREM', KEYS[4], id)
redis.call('SREM', KEYS[12], id)
return #slackOld + #teamsOld
`;

export interface UpgradeOptions {
  /** The deployment's key prefix (`s3-chatops:` by default). */
  keyPrefix: string;
  /** The configured destinations: Teams gets Slack's pending changes only when it is one. */
  destinations: readonly string[];
}

/**
 * Moves every alert's outbox entries, step records and message references from the earlier
 * layouts into the one layout; returns how many changes it moved. Once every alert ever seen has
 * been looked at, a marker limits later runs to the old pending sets, which a bot of the earlier
 * release still running beside this one may add to (every tick's sweep looks at them).
 */
export async function upgradeLegacyOutboxes(redis: Redis, options: UpgradeOptions): Promise<number> {
  const alerts = `${options.keyPrefix}alerts:`;
  const teams = `${options.keyPrefix}teams:`;
  const marker = `${alerts}outbox-layout`;
  const oldPending = [`${alerts}pending`, `${teams}pending-alerts`];
  const everyAlert = (await redis.get(marker)) === null;
  const ids = everyAlert ? await redis.sunion(`${alerts}index`, ...oldPending) : await redis.sunion(...oldPending);
  const slack = new OutboxKeys(alerts, SLACK);
  const teamsNew = new OutboxKeys(alerts, TEAMS);
  const teamsConfigured = options.destinations.includes(TEAMS) ? '1' : '0';
  let moved = 0;
  for (const id of ids) {
    const keys = [
      `${alerts}outbox:${id}`,
      `${alerts}delivery:${id}`,
      `${alerts}messages:${id}`,
      oldPending[0]!,
      slack.events(id),
      slack.steps(id),
      slack.messages(id),
      slack.pending(),
      `${teams}pending:${id}`,
      `${teams}events:${id}`,
      `${teams}sent:${id}`,
      oldPending[1]!,
      teamsNew.events(id),
      teamsNew.pending(),
    ];
    moved += Number(await redis.eval(MOVE, keys.length, ...keys, id, teamsConfigured));
  }
  if (everyAlert) await redis.set(marker, '2');
  return moved;
}
