"""Starts moto's server with the fixes the test suite and the demo need applied first.

Usage: python3 scripts/moto_launcher.py PORT

The test suite (test/helpers/global-setup.ts) and the playground's demo mode (src/playground/demo.ts) both
start moto through it.

Every fix covers a gap of the emulator, never of the product, and lives here only. moto's server
dispatches each request to one service's Flask app by the service the request is signed for, so a
route added to one app's Flask routes is never reached for requests signed for another; the
fixes that need the raw request are therefore a WSGI wrapper around moto's whole dispatcher.

  (a) object ages: S3 stamps objects with `moto.s3.models.utcnow`. A request carrying the header
      `x-moto-clock-offset-seconds: -864000` is served with the S3 clock that far shifted. The
      shift holds for that request only (a global one would age other test files' objects too);
      test/helpers/seed.ts `putObjects(…, [{ ageDays }])` sends it.
  (b) CloudWatch compares a metric's dimensions in stored order (`Dimension.__lt__` is broken, so
      sorting does nothing): dimensions are sorted by name on store and on query.
  (c) CloudWatch invents `BucketSizeBytes`/`NumberOfObjects` datapoints from the objects moto
      holds: S3 provides none, so only what was put with PutMetricData is answered.
  (d) S3 does not store bucket metrics configurations: Put/Get/List/DeleteBucketMetrics-
      Configuration are served here (List pages 100 at a time with a continuation token, as AWS).
  (e) with server access logging on, S3 writes malformed log objects into the target bucket:
      it writes none.
  (f) GetBucketLogging drops `TargetObjectKeyFormat`: it is answered as it was put.
  (g) GetBucketPolicyStatus is not implemented (it lists objects instead): it is answered from the
      stored policy (public when an Allow statement names Principal "*" without a Condition).
  (h) Cost Explorer hands queued results to whichever query comes first, which races between
      parallel test files: a queued result may carry `"_match": {request fields}` and then goes
      only to a GetCostAndUsage request whose fields equal those (`_match` is not answered).
  (i) GetBucketReplication answers every rule's filter as prefix "": it answers the filter put.
  (j) CloudTrail has no LookupEvents. Every S3 bucket-configuration call made through this server
      (PutBucketPolicy, PutPublicAccessBlock, PutBucketVersioning, DeleteBucket, …) is recorded
      as a CloudTrail management event, its XML or JSON body as `requestParameters` the way
      CloudTrail writes them, its failure (403) as `errorCode`. The caller is an IAM user named
      by the request's access key, unless the request carries `x-moto-trail-identity` (a
      `userIdentity` JSON object); `x-moto-trail-source-ip` sets the source IP, the clock header
      of (a) the event time. POST /moto-api/cloudtrail/events `{"events": [event, …]}` records
      events as given (for principal types moto cannot produce); missing fields get defaults.
      Events belong to the account of the credentials that made the call (as moto's STS issued
      them), or to the body's `account_id` when injected; LookupEvents answers only the events of
      the account whose credentials sign it, as each account has its own CloudTrail.
      LookupEvents answers newest first with LookupAttributes (one of ResourceName, EventName,
      Username, EventSource, EventId, ReadOnly, AccessKeyId, ResourceType), StartTime, EndTime,
      MaxResults (at most 50) and NextToken; every request is counted, and GET
      /moto-api/cloudtrail/lookups answers `{"count": N, "times": [epoch ms, …]}`. A LookupEvents
      request signed with an access key starting `DENYTRAIL` is refused with
      AccessDeniedException, as AWS refuses a principal without `cloudtrail:LookupEvents`.
  (k) STS AssumeRole never refuses (trust policies are not checked): a role whose name begins with
      `refused` is refused with AccessDenied, as AWS answers a role that does not trust the caller.
  (l) the fixes (d) and (g) look the bucket up in every account moto holds, not only the default
      one, since buckets of other accounts are reached through roles assumed with moto's STS.
"""
import base64
import datetime
import io
import json
import os
import re
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from urllib.parse import parse_qs

import moto.s3.models as s3_models
from moto.core import DEFAULT_ACCOUNT_ID

S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
METRICS_PAGE_SIZE = 100
CLOCK_HEADER = "HTTP_X_MOTO_CLOCK_OFFSET_SECONDS"

# ---------------------------------------------------------------------------------------------
# (a) the S3 clock, per request (run_simple serves each request on its own thread)
_request_clock = threading.local()
_real_utcnow = s3_models.utcnow


def _shifted_utcnow():
    offset = getattr(_request_clock, "offset", None) or 0.0
    return _real_utcnow() + datetime.timedelta(seconds=offset)


s3_models.utcnow = _shifted_utcnow


# ---------------------------------------------------------------------------------------------
# (b) and (c) CloudWatch
def _fix_cloudwatch():
    import moto.cloudwatch.models as cw

    def dimension_lt(self, other):
        return (self.name or "", self.value or "") < (other.name or "", other.value or "")

    cw.Dimension.__lt__ = dimension_lt

    original_init = cw.MetricDatumBase.__init__

    def sorted_init(self, namespace, name, dimensions, timestamp, unit=None):
        ordered = sorted(dimensions or [], key=lambda d: (d.get("Name", ""), d.get("Value", "")))
        original_init(self, namespace, name, ordered, timestamp, unit)

    cw.MetricDatumBase.__init__ = sorted_init

    s3_models.S3Backend.get_cloudwatch_metrics = classmethod(lambda cls, account_id, region: [])


# ---------------------------------------------------------------------------------------------
# (e), (f) S3 logging
def _fix_s3_logging():
    import moto.s3.responses as s3_responses

    s3_models.S3Backend.log_incoming_request = lambda self, request, bucket_name: None

    original_get_logging = s3_responses.S3Response.get_bucket_logging

    def get_bucket_logging(self):
        status, headers, body = _as_triple(original_get_logging(self))
        logging = self.backend.get_bucket_logging(self.bucket_name)
        key_format = (logging or {}).get("TargetObjectKeyFormat")
        if key_format and "</LoggingEnabled>" in body:
            body = body.replace(
                "</LoggingEnabled>", _key_format_xml(key_format) + "</LoggingEnabled>", 1
            )
        return status, headers, body

    s3_responses.S3Response.get_bucket_logging = get_bucket_logging

    original_get_replication = s3_responses.S3Response.get_bucket_replication

    def get_bucket_replication(self):
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            return original_get_replication(self)
        from moto.core.responses import ActionResult

        self.data["Action"] = "GetBucketReplication"
        rules = [
            {
                "ID": rule["ID"],
                "Priority": rule["Priority"],
                "Status": rule["Status"],
                "DeleteMarkerReplication": {"Status": "Disabled"},
                "Filter": _filter_as_put(rule),
                "Destination": rule["Destination"],
            }
            for rule in replication["Rule"]
        ]
        return self.serialized(ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))

    s3_responses.S3Response.get_bucket_replication = get_bucket_replication


def _filter_as_put(rule):
    put = rule.get("Filter")
    if not isinstance(put, dict):
        return {"Prefix": rule.get("Prefix") or ""}
    if "Prefix" in put:
        return {"Prefix": put["Prefix"] or ""}
    return put


def _as_triple(response):
    if isinstance(response, tuple):
        status, headers, body = response
    else:
        status, headers, body = 200, {}, response
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return status, headers, body


def _key_format_xml(key_format):
    partitioned = key_format.get("PartitionedPrefix") if isinstance(key_format, dict) else None
    if isinstance(key_format, dict) and "PartitionedPrefix" in key_format:
        source = (partitioned or {}).get("PartitionDateSource")
        inner = f"<PartitionDateSource>{source}</PartitionDateSource>" if source else ""
        return f"<TargetObjectKeyFormat><PartitionedPrefix>{inner}</PartitionedPrefix></TargetObjectKeyFormat>"
    return "<TargetObjectKeyFormat><SimplePrefix></SimplePrefix></TargetObjectKeyFormat>"


# ---------------------------------------------------------------------------------------------
# (h) Cost Explorer
def _fix_cost_explorer():
    import moto.ce.models as ce

    def get_cost_and_usage(self, body):
        if body not in self.cost_usage_results:
            request = _json_or_empty(body)
            chosen = None
            for index, result in enumerate(self.cost_usage_results_queue):
                match = result.get("_match")
                if match is not None and all(request.get(k) == v for k, v in match.items()):
                    chosen = index
                    break
            if chosen is None:
                for index, result in enumerate(self.cost_usage_results_queue):
                    if "_match" not in result:
                        chosen = index
                        break
            if chosen is not None:
                result = dict(self.cost_usage_results_queue.pop(chosen))
                result.pop("_match", None)
                self.cost_usage_results[body] = result
        return self.cost_usage_results.get(
            body, {"ResultsByTime": [], "DimensionValueAttributes": []}
        )

    ce.CostExplorerBackend.get_cost_and_usage = get_cost_and_usage


def _json_or_empty(text):
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else {}
    except (TypeError, ValueError):
        return {}


# ---------------------------------------------------------------------------------------------
# (d) metrics configurations, (g) policy status, test routes: a WSGI wrapper
_metrics_configs = {}  # bucket -> {id: inner xml}
_metrics_lock = threading.Lock()


def _find_bucket(name):
    # (l) a bucket of any account moto holds; the default account's first.
    accounts = [DEFAULT_ACCOUNT_ID] + [a for a in list(s3_models.s3_backends.keys()) if a != DEFAULT_ACCOUNT_ID]
    for account in accounts:
        found = s3_models.s3_backends[account]["aws"].buckets.get(name)
        if found is not None:
            return found
    return None


def _respond(start_response, status, body, content_type="application/xml"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    reason = {200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found"}.get(status, "OK")
    start_response(
        f"{status} {reason}",
        [("Content-Type", content_type), ("Content-Length", str(len(data)))],
    )
    return [data]


def _s3_error(start_response, status, code, message, bucket):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<BucketName>{bucket}</BucketName><RequestId>moto-launcher</RequestId></Error>"
    )
    return _respond(start_response, status, body)


def _read_body(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length else b""


def _inner_metrics_xml(body):
    text = body.decode("utf-8")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text).strip()
    return re.sub(r"<MetricsConfiguration[^>]*>", "<MetricsConfiguration>", text, count=1)


def _handle_metrics(environ, start_response, bucket, query):
    if _find_bucket(bucket) is None:
        return _s3_error(start_response, 404, "NoSuchBucket", "The specified bucket does not exist", bucket)
    method = environ["REQUEST_METHOD"]
    config_id = (query.get("id") or [None])[0]
    with _metrics_lock:
        configs = _metrics_configs.setdefault(bucket, {})
        if method == "PUT" and config_id:
            configs[config_id] = _inner_metrics_xml(_read_body(environ))
            return _respond(start_response, 200, "")
        if method == "DELETE" and config_id:
            if configs.pop(config_id, None) is None:
                return _s3_error(start_response, 404, "NoSuchConfiguration", "The specified configuration does not exist.", bucket)
            return _respond(start_response, 204, "")
        if method == "GET" and config_id:
            inner = configs.get(config_id)
            if inner is None:
                return _s3_error(start_response, 404, "NoSuchConfiguration", "The specified configuration does not exist.", bucket)
            body = '<?xml version="1.0" encoding="UTF-8"?>' + inner.replace(
                "<MetricsConfiguration>", f'<MetricsConfiguration xmlns="{S3_XMLNS}">', 1
            )
            return _respond(start_response, 200, body)
        if method == "GET":
            ids = sorted(configs)
            token = (query.get("continuation-token") or [None])[0]
            start = 0
            if token:
                start = next((i for i, cid in enumerate(ids) if cid > token), len(ids))
            page = ids[start : start + METRICS_PAGE_SIZE]
            truncated = start + METRICS_PAGE_SIZE < len(ids)
            parts = [f'<?xml version="1.0" encoding="UTF-8"?><ListMetricsConfigurationsResult xmlns="{S3_XMLNS}">']
            parts.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
            if token:
                parts.append(f"<ContinuationToken>{token}</ContinuationToken>")
            if truncated:
                parts.append(f"<NextContinuationToken>{page[-1]}</NextContinuationToken>")
            parts.extend(configs[cid] for cid in page)
            parts.append("</ListMetricsConfigurationsResult>")
            return _respond(start_response, 200, "".join(parts))
    return _s3_error(start_response, 400, "InvalidRequest", "Unsupported metrics request", bucket)


def _policy_is_public(policy_text):
    try:
        statements = json.loads(policy_text).get("Statement", [])
    except (TypeError, ValueError, AttributeError):
        return False
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        principal = statement.get("Principal")
        anyone = principal == "*" or (
            isinstance(principal, dict) and principal.get("AWS") in ("*", ["*"])
        )
        if statement.get("Effect") == "Allow" and anyone and not statement.get("Condition"):
            return True
    return False


def _handle_policy_status(start_response, bucket):
    found = _find_bucket(bucket)
    if found is None:
        return _s3_error(start_response, 404, "NoSuchBucket", "The specified bucket does not exist", bucket)
    if not found.policy:
        return _s3_error(start_response, 404, "NoSuchBucketPolicy", "The bucket policy does not exist", bucket)
    public = "true" if _policy_is_public(found.policy.decode("utf-8")) else "false"
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><PolicyStatus xmlns="{S3_XMLNS}">'
        f"<IsPublic>{public}</IsPublic></PolicyStatus>"
    )
    return _respond(start_response, 200, body)


# ---------------------------------------------------------------------------------------------
# (j) CloudTrail LookupEvents over the S3 calls made here
_trail_events = []  # every recorded event, oldest first: {"event": CloudTrail record, "time": epoch s}
_trail_lookups = []  # epoch ms of every LookupEvents request
_trail_lock = threading.Lock()
TRAIL_PAGE_MAX = 50
TRAIL_IDENTITY_HEADER = "HTTP_X_MOTO_TRAIL_IDENTITY"
TRAIL_IP_HEADER = "HTTP_X_MOTO_TRAIL_SOURCE_IP"
TRAIL_DENIED_KEY_PREFIX = "DENYTRAIL"

# Bucket sub-resource -> (event name for PUT, event name for DELETE), as CloudTrail names them.
_BUCKET_EVENTS = {
    "policy": ("PutBucketPolicy", "DeleteBucketPolicy"),
    "publicAccessBlock": ("PutPublicAccessBlock", "DeletePublicAccessBlock"),
    "versioning": ("PutBucketVersioning", None),
    "encryption": ("PutBucketEncryption", "DeleteBucketEncryption"),
    "lifecycle": ("PutBucketLifecycle", "DeleteBucketLifecycle"),
    "acl": ("PutBucketAcl", None),
    "logging": ("PutBucketLogging", None),
    "tagging": ("PutBucketTagging", "DeleteBucketTagging"),
    "replication": ("PutBucketReplication", "DeleteBucketReplication"),
    "ownershipControls": ("PutBucketOwnershipControls", "DeleteBucketOwnershipControls"),
    "cors": ("PutBucketCors", "DeleteBucketCors"),
    "website": ("PutBucketWebsite", "DeleteBucketWebsite"),
}


def _access_key(environ):
    match = re.search(r"Credential=([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else ""


def _xml_value(text):
    if text is None:
        return ""
    stripped = text.strip()
    if stripped == "true":
        return True
    if stripped == "false":
        return False
    if re.fullmatch(r"-?\d{1,15}", stripped):
        return int(stripped)
    return stripped


def _xml_element(element):
    children = list(element)
    if not children:
        return _xml_value(element.text)
    result = {}
    for child in children:
        name = child.tag.split("}", 1)[-1]
        value = _xml_element(child)
        if name in result:
            if not isinstance(result[name], list):
                result[name] = [result[name]]
            result[name].append(value)
        else:
            result[name] = value
    return result


def _trail_request_parameters(environ, bucket, subresource, body):
    params = {"bucketName": bucket, "Host": environ.get("HTTP_HOST", "")}
    if subresource:
        params[subresource] = ""
    acl = environ.get("HTTP_X_AMZ_ACL")
    if acl:
        params["x-amz-acl"] = [acl]
    if not body:
        return params
    if subresource == "policy":
        try:
            params["bucketPolicy"] = json.loads(body.decode("utf-8"))
        except ValueError:
            params["bucketPolicy"] = body.decode("utf-8", "replace")
        return params
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return params
    name = root.tag.split("}", 1)[-1]
    value = _xml_element(root)
    if not isinstance(value, dict):
        value = {}
    if root.tag.startswith("{"):
        value["xmlns"] = root.tag[1:].split("}", 1)[0]
    params[name] = value
    return params


def _account_of(access_key):
    """The account moto holds `access_key` in: an assumed role's, or the default account."""
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT_ID


def _default_identity(access_key, account=DEFAULT_ACCOUNT_ID):
    name = access_key or "anonymous"
    return {
        "type": "IAMUser",
        "principalId": "AIDA" + re.sub(r"[^A-Z0-9]", "", name.upper())[:16],
        "arn": f"arn:aws:iam::{account}:user/{name}",
        "accountId": account,
        "accessKeyId": access_key,
        "userName": name,
    }


def _iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _complete_event(event, at, account=DEFAULT_ACCOUNT_ID):
    """Fills what a CloudTrail record always has; keeps what the caller gave."""
    record = dict(event)
    record.setdefault("eventVersion", "1.09")
    record.setdefault("userIdentity", _default_identity("testing", account))
    record.setdefault("eventTime", _iso(at))
    record.setdefault("eventSource", "s3.amazonaws.com")
    record.setdefault("eventName", "PutBucketPolicy")
    record.setdefault("awsRegion", "us-east-1")
    record.setdefault("sourceIPAddress", "127.0.0.1")
    record.setdefault("userAgent", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64")
    record.setdefault("requestParameters", None)
    record.setdefault("responseElements", None)
    record.setdefault("requestID", uuid.uuid4().hex[:16].upper())
    record.setdefault("eventID", str(uuid.uuid4()))
    record.setdefault("readOnly", False)
    bucket = ((record.get("requestParameters") or {}) if isinstance(record.get("requestParameters"), dict) else {}).get("bucketName")
    if "resources" not in record and bucket:
        record["resources"] = [{"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    record.setdefault("eventType", "AwsApiCall")
    record.setdefault("managementEvent", True)
    record.setdefault("recipientAccountId", account)
    record.setdefault("eventCategory", "Management")
    return record


def _event_epoch(record):
    try:
        return datetime.datetime.strptime(record["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    except (KeyError, ValueError, TypeError):
        return time.time()


def _record_trail_event(record, at=None, account=DEFAULT_ACCOUNT_ID):
    # The record's eventTime is to the second, as CloudTrail writes it; the order of calls within
    # one second is kept by the time they were recorded.
    with _trail_lock:
        _trail_events.append({"event": record, "time": at if at is not None else _event_epoch(record), "account": account})


def _trail_bucket_call(environ, path, query):
    """(bucket, sub-resource, event name) for an S3 bucket-configuration call, else None."""
    stripped = path.strip("/")
    if not stripped or "/" in stripped:
        return None
    method = environ["REQUEST_METHOD"]
    if method not in ("PUT", "DELETE"):
        return None
    present = [name for name in _BUCKET_EVENTS if name in query]
    if present:
        put_name, delete_name = _BUCKET_EVENTS[present[0]]
        name = put_name if method == "PUT" else delete_name
        return (stripped, present[0], name) if name else None
    if query:
        return None
    return stripped, None, "CreateBucket" if method == "PUT" else "DeleteBucket"


def _recorded_s3_call(app, environ, start_response, call):
    bucket, subresource, event_name = call
    body = _read_body(environ)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    seen = {}

    def recording_start_response(status, headers, *args):
        seen["status"] = int(status.split(" ", 1)[0])
        return start_response(status, headers, *args)

    result = app(environ, recording_start_response)
    chunks = list(result)
    if hasattr(result, "close"):
        result.close()
    status = seen.get("status", 200)
    offset = float(environ.get(CLOCK_HEADER) or 0)
    account = _account_of(_access_key(environ))
    identity_text = environ.get(TRAIL_IDENTITY_HEADER)
    try:
        identity = json.loads(identity_text) if identity_text else _default_identity(_access_key(environ), account)
    except ValueError:
        identity = _default_identity(_access_key(environ), account)
    event = {
        "userIdentity": identity,
        "eventName": event_name,
        "sourceIPAddress": environ.get(TRAIL_IP_HEADER) or environ.get("REMOTE_ADDR") or "127.0.0.1",
        "userAgent": environ.get("HTTP_USER_AGENT", ""),
        "requestParameters": _trail_request_parameters(environ, bucket, subresource, body),
    }
    if status >= 400:
        text = b"".join(chunks).decode("utf-8", "replace")
        code = re.search(r"<Code>([^<]+)</Code>", text)
        event["errorCode"] = code.group(1) if code else ("AccessDenied" if status == 403 else str(status))
        message = re.search(r"<Message>([^<]*)</Message>", text)
        event["errorMessage"] = message.group(1) if message else ""
    if status < 400 or status == 403:
        at = time.time() + offset
        _record_trail_event(_complete_event(event, at, account), at, account)
    return chunks


def _json_response(start_response, status, value):
    data = json.dumps(value).encode("utf-8")
    reason = {200: "OK", 400: "Bad Request"}.get(status, "OK")
    start_response(f"{status} {reason}", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(data)))])
    return [data]


_LOOKUP_KEYS = {
    "EventId": lambda e: [e.get("eventID")],
    "EventName": lambda e: [e.get("eventName")],
    "EventSource": lambda e: [e.get("eventSource")],
    "ReadOnly": lambda e: [str(bool(e.get("readOnly"))).lower()],
    "Username": lambda e: [_trail_username(e)],
    "AccessKeyId": lambda e: [(e.get("userIdentity") or {}).get("accessKeyId")],
    "ResourceType": lambda e: [r.get("type") for r in e.get("resources") or []],
    "ResourceName": lambda e: [r.get("ARN", "").replace("arn:aws:s3:::", "") for r in e.get("resources") or []]
    + [r.get("ARN") for r in e.get("resources") or []],
}


def _trail_username(record):
    identity = record.get("userIdentity") or {}
    if identity.get("userName"):
        return identity["userName"]
    arn = identity.get("arn") or ""
    return arn.rsplit("/", 1)[-1] if "/" in arn else identity.get("type", "")


def _lookup_events(environ, start_response):
    with _trail_lock:
        _trail_lookups.append(int(time.time() * 1000))
    if _access_key(environ).startswith(TRAIL_DENIED_KEY_PREFIX):
        return _json_response(start_response, 400, {
            "__type": "AccessDeniedException",
            "message": f"User: arn:aws:iam::{DEFAULT_ACCOUNT_ID}:user/denied is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
        })
    request = _json_or_empty(_read_body(environ).decode("utf-8") or "{}")
    attributes = request.get("LookupAttributes") or []
    if len(attributes) > 1:
        return _json_response(start_response, 400, {"__type": "InvalidLookupAttributesException", "message": "You cannot specify more than one lookup attribute."})
    max_results = int(request.get("MaxResults") or TRAIL_PAGE_MAX)
    if max_results < 1 or max_results > TRAIL_PAGE_MAX:
        return _json_response(start_response, 400, {"__type": "InvalidMaxResultsException", "message": "MaxResults must be from 1 to 50."})
    start = request.get("StartTime")
    end = request.get("EndTime")
    account = _account_of(_access_key(environ))
    with _trail_lock:
        stored = [entry for entry in _trail_events if entry["account"] == account]
    chosen = []
    for entry in reversed(stored):
        record, at = entry["event"], entry["time"]
        if start is not None and at < float(start):
            continue
        if end is not None and at > float(end):
            continue
        if attributes:
            key, value = attributes[0].get("AttributeKey"), attributes[0].get("AttributeValue")
            if value not in _LOOKUP_KEYS.get(key, lambda e: [])(record):
                continue
        chosen.append(entry)
    chosen.sort(key=lambda entry: -entry["time"])
    offset = 0
    token = request.get("NextToken")
    if token:
        try:
            offset = int(base64.b64decode(token).decode("ascii"))
        except ValueError:
            return _json_response(start_response, 400, {"__type": "InvalidNextTokenException", "message": "Invalid NextToken."})
    page = chosen[offset : offset + max_results]
    answer = {"Events": [_lookup_event(entry) for entry in page]}
    if offset + max_results < len(chosen):
        answer["NextToken"] = base64.b64encode(str(offset + max_results).encode("ascii")).decode("ascii")
    return _json_response(start_response, 200, answer)


def _lookup_event(entry):
    record = entry["event"]
    return {
        "EventId": record.get("eventID"),
        "EventName": record.get("eventName"),
        "ReadOnly": str(bool(record.get("readOnly"))).lower(),
        "AccessKeyId": (record.get("userIdentity") or {}).get("accessKeyId"),
        "EventTime": entry["time"],
        "EventSource": record.get("eventSource"),
        "Username": _trail_username(record),
        "Resources": [{"ResourceType": r.get("type"), "ResourceName": r.get("ARN", "").replace("arn:aws:s3:::", "")} for r in record.get("resources") or []],
        "CloudTrailEvent": json.dumps(record),
    }


def _inject_trail_events(environ, start_response):
    request = _json_or_empty(_read_body(environ).decode("utf-8") or "{}")
    now = time.time()
    account = str(request.get("account_id") or DEFAULT_ACCOUNT_ID)
    for event in request.get("events") or []:
        if isinstance(event, dict):
            _record_trail_event(_complete_event(event, now, account), None if "eventTime" in event else now, account)
    return _json_response(start_response, 200, {"recorded": len(request.get("events") or [])})


def _trail_lookup_times(start_response):
    with _trail_lock:
        times = list(_trail_lookups)
    return _json_response(start_response, 200, {"count": len(times), "times": times})


def _sts_access_denied(start_response, role):
    # (k) what STS answers when the role's trust policy does not name the caller
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        "<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/moto is not authorized "
        f"to perform: sts:AssumeRole on resource: {role}</Message></Error>"
        "<RequestId>moto-launcher</RequestId></ErrorResponse>"
    )
    data = body.encode("utf-8")
    start_response("403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(data)))])
    return [data]


class LauncherMiddleware:
    """Serves the S3 gaps moto's own apps cannot, and hands everything else to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api/reset"):
            with _metrics_lock:
                _metrics_configs.clear()
            with _trail_lock:
                _trail_events.clear()
                _trail_lookups.clear()
        if path == "/moto-api/cloudtrail/events" and environ["REQUEST_METHOD"] == "POST":
            return _inject_trail_events(environ, start_response)
        if path == "/moto-api/cloudtrail/lookups":
            return _trail_lookup_times(start_response)
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".LookupEvents"):
            return _lookup_events(environ, start_response)

        if "/s3/aws4_request" in environ.get("HTTP_AUTHORIZATION", ""):
            query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            bucket = path.strip("/").split("/", 1)[0]
            is_bucket_request = bucket and "/" not in path.strip("/")
            if is_bucket_request and "metrics" in query:
                return _handle_metrics(environ, start_response, bucket, query)
            if is_bucket_request and "policyStatus" in query and environ["REQUEST_METHOD"] == "GET":
                return _handle_policy_status(start_response, bucket)
            trail_call = _trail_bucket_call(environ, path, query)
            if trail_call is not None:
                offset = environ.get(CLOCK_HEADER)
                _request_clock.offset = float(offset) if offset else None
                try:
                    return _recorded_s3_call(self.app, environ, start_response, trail_call)
                finally:
                    _request_clock.offset = None

        if "/sts/aws4_request" in environ.get("HTTP_AUTHORIZATION", "") and environ["REQUEST_METHOD"] == "POST":
            body = _read_body(environ)
            environ["wsgi.input"] = io.BytesIO(body)
            form = parse_qs(body.decode("utf-8", "replace"))
            role = (form.get("RoleArn") or [""])[0]
            if (form.get("Action") or [""])[0] == "AssumeRole" and re.search(r":role/(.*/)?refused", role):
                return _sts_access_denied(start_response, role)

        offset = environ.get(CLOCK_HEADER)
        _request_clock.offset = float(offset) if offset else None
        try:
            return self.app(environ, start_response)
        finally:
            _request_clock.offset = None


def main(port):
    from werkzeug.serving import run_simple
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    os.environ.setdefault("MOTO_PORT", str(port))  # moto addresses itself through it
    _fix_cloudwatch()
    _fix_s3_logging()
    _fix_cost_explorer()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", int(port), LauncherMiddleware(app), threaded=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "5000")
