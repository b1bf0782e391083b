namespace RenderFarm.Contracts;

/// <summary>
/// Every stable reason RenderFarm reports, as googleapis keeps <c>google/api/error_reason.proto</c>:
/// the ErrorInfo reason of a gRPC error, a BadRequest field violation's reason, a failed
/// production's <c>error.code</c>, a plan preview's <c>errorCode</c>, an object-store HTTP error's
/// <c>error.code</c>, and the reasons of the node protocol. The values are wire contract: never
/// change one; add a constant, and a row to docs/errors.md (a test holds the two together).
/// </summary>
/// <remarks>
/// Constants rather than a proto enum: every consumer (ErrorInfo.reason, RenderFailure.code,
/// Lua scripts) carries the reason as a string, so constants keep the wire value identical with
/// no conversions at each use.
/// </remarks>
public static class ErrorReasons
{
    // Request validation: INVALID_ARGUMENT (HTTP 400), each naming the field at fault.

    /// <summary>INVALID_ARGUMENT: a required field is missing or empty.</summary>
    public const string FieldRequired = "FIELD_REQUIRED";
    /// <summary>INVALID_ARGUMENT: a number or length is outside its allowed range, or not finite.</summary>
    public const string OutOfRange = "OUT_OF_RANGE";
    /// <summary>INVALID_ARGUMENT: a color is not #RRGGBB or #RRGGBBAA.</summary>
    public const string InvalidColor = "INVALID_COLOR";
    /// <summary>INVALID_ARGUMENT: a segment sets none of video, image, color, text, shape, audio, speech, captions.</summary>
    public const string SegmentKindMissing = "SEGMENT_KIND_MISSING";
    /// <summary>INVALID_ARGUMENT: a media reference or webhook URL is not an absolute http(s) (or asset://) URL.</summary>
    public const string InvalidUrl = "INVALID_URL";
    /// <summary>INVALID_ARGUMENT: fields that are valid alone but not together.</summary>
    public const string UnsupportedCombination = "UNSUPPORTED_COMBINATION";
    /// <summary>INVALID_ARGUMENT: output.chunking FIXED with an output that renders in one piece.</summary>
    public const string ChunkingUnsupported = "CHUNKING_UNSUPPORTED";
    /// <summary>INVALID_ARGUMENT: a text or list is longer than allowed.</summary>
    public const string TooLong = "TOO_LONG";
    /// <summary>INVALID_ARGUMENT: an enum value this version does not know, in a body or a query parameter.</summary>
    public const string InvalidEnum = "INVALID_ENUM";
    /// <summary>INVALID_ARGUMENT: the canvas or a placement exceeds a global cap.</summary>
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    /// <summary>INVALID_ARGUMENT: a REST body is not JSON.</summary>
    public const string MalformedJson = "MALFORMED_JSON";
    /// <summary>INVALID_ARGUMENT: a REST body that is not application/json.</summary>
    public const string UnsupportedContentType = "UNSUPPORTED_CONTENT_TYPE";
    /// <summary>INVALID_ARGUMENT: a REST body names a field the message lacks.</summary>
    public const string UnknownField = "UNKNOWN_FIELD";
    /// <summary>INVALID_ARGUMENT: a query parameter or REST body value has the wrong type.</summary>
    public const string InvalidType = "INVALID_TYPE";
    /// <summary>INVALID_ARGUMENT: a REST body sets two members of one oneof.</summary>
    public const string OneofConflict = "ONEOF_CONFLICT";
    /// <summary>INVALID_ARGUMENT: a pageToken this API did not return, or one for another tenant or filter.</summary>
    public const string InvalidPageToken = "INVALID_PAGE_TOKEN";
    /// <summary>INVALID_ARGUMENT: the Idempotency-Key header and the body's requestId differ.</summary>
    public const string IdempotencyKeyMismatch = "IDEMPOTENCY_KEY_MISMATCH";
    /// <summary>INVALID_ARGUMENT: a label key under renderfarm.dev/, which the farm sets itself.</summary>
    public const string ReservedLabel = "RESERVED_LABEL";
    /// <summary>INVALID_ARGUMENT: webhookUrl resolves to an address the SSRF guard refuses.</summary>
    public const string WebhookUrlRefused = "WEBHOOK_URL_REFUSED";
    /// <summary>INVALID_ARGUMENT: a Last-Event-ID the production's event stream did not send.</summary>
    public const string InvalidEventId = "INVALID_EVENT_ID";
    /// <summary>INVALID_ARGUMENT: a list holds one value twice where each must be unique (two canvas.fonts with one family).</summary>
    public const string DuplicateValue = "DUPLICATE_VALUE";
    /// <summary>INVALID_ARGUMENT: a still or poster time (output.stillTimes[i], output.posterTime) after the end of the video.</summary>
    public const string StillTimeOutOfRange = "STILL_TIME_OUT_OF_RANGE";
    /// <summary>INVALID_ARGUMENT: more output.stillTimes than one production may render.</summary>
    public const string TooManyStills = "TOO_MANY_STILLS";
    /// <summary>INVALID_ARGUMENT: an output format that cannot carry what else the output asks (stills or a poster of MP3/WAV, a video codec of a still or audio format).</summary>
    public const string OutputFormatMismatch = "OUTPUT_FORMAT_MISMATCH";
    /// <summary>INVALID_ARGUMENT: a narration on a segment that is not base content (a layer, an overlay, audio, speech, captions).</summary>
    public const string NarrationNotAllowed = "NARRATION_NOT_ALLOWED";
    /// <summary>INVALID_ARGUMENT: more renditions than one production may render (renditions).</summary>
    public const string TooManyRenditions = "TOO_MANY_RENDITIONS";
    /// <summary>INVALID_ARGUMENT: a rendition's frame size that cannot be rendered: odd, zero, outside 64..4096, or both a preset and a size (renditions[i].width).</summary>
    public const string InvalidRenditionSize = "INVALID_RENDITION_SIZE";
    /// <summary>INVALID_ARGUMENT: a rendition name that is empty, too long or has characters other than letters, digits, '_' and '-' (renditions[i].name).</summary>
    public const string InvalidRenditionName = "INVALID_RENDITION_NAME";
    /// <summary>INVALID_ARGUMENT: renditions of an output that has no video (GIF, audio, stills), or a rendition output other than MP4/WEBM or with stills, poster or sidecars.</summary>
    public const string RenditionOutputUnsupported = "RENDITION_OUTPUT_UNSUPPORTED";

    // Authentication and limits.

    /// <summary>UNAUTHENTICATED: no Authorization: Bearer header (gRPC: authorization metadata).</summary>
    public const string ApiKeyMissing = "API_KEY_MISSING";
    /// <summary>UNAUTHENTICATED: a key that is malformed, unknown or revoked.</summary>
    public const string ApiKeyInvalid = "API_KEY_INVALID";
    /// <summary>UNAUTHENTICATED: a watchToken (SSE) this farm did not mint, that was edited, or whose key was revoked.</summary>
    public const string WatchTokenInvalid = "WATCH_TOKEN_INVALID";
    /// <summary>UNAUTHENTICATED: a watchToken (SSE) past its expiry (RenderFarm:Auth:WatchTokenTtl).</summary>
    public const string WatchTokenExpired = "WATCH_TOKEN_EXPIRED";
    /// <summary>PERMISSION_DENIED: the key lacks the scope the method needs.</summary>
    public const string ScopeMissing = "SCOPE_MISSING";
    /// <summary>NOT_FOUND: revoking a key id that does not exist.</summary>
    public const string ApiKeyNotFound = "API_KEY_NOT_FOUND";
    /// <summary>RESOURCE_EXHAUSTED: the key's request bucket is empty.</summary>
    public const string RateLimited = "RATE_LIMITED";
    /// <summary>RESOURCE_EXHAUSTED: a tenant quota (render seconds per month, stored bytes) would be exceeded.</summary>
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    /// <summary>RESOURCE_EXHAUSTED: the key's spendLimitSeconds would be exceeded.</summary>
    public const string SpendCapExceeded = "SPEND_CAP_EXCEEDED";
    /// <summary>RESOURCE_EXHAUSTED: the tenant already has MaxQueued productions waiting.</summary>
    public const string QueueLimitExceeded = "QUEUE_LIMIT_EXCEEDED";

    // Productions.

    /// <summary>NOT_FOUND: no such production for the caller.</summary>
    public const string ProductionNotFound = "PRODUCTION_NOT_FOUND";
    /// <summary>FAILED_PRECONDITION: cancel of a production that already succeeded or failed.</summary>
    public const string ProductionFinished = "PRODUCTION_FINISHED";
    /// <summary>ALREADY_EXISTS: the same requestId with a different request.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    // Plans.

    /// <summary>NOT_FOUND: no such plan for the caller, or it expired more than Plans:ExpiredRetention ago.</summary>
    public const string PlanNotFound = "PLAN_NOT_FOUND";
    /// <summary>FAILED_PRECONDITION: read or render of a plan past its expireTime.</summary>
    public const string PlanExpired = "PLAN_EXPIRED";
    /// <summary>FAILED_PRECONDITION: the render's fingerprint differs from what would be rendered.</summary>
    public const string PlanFingerprintMismatch = "PLAN_FINGERPRINT_MISMATCH";
    /// <summary>Plan preview error code: the preview job no longer exists.</summary>
    public const string PreviewLost = "PREVIEW_LOST";
    /// <summary>Plan preview error code: the preview job failed without a code of its own.</summary>
    public const string PreviewFailed = "PREVIEW_FAILED";

    // Assets.

    /// <summary>INVALID_ARGUMENT at create (production error code at dispatch; NOT_FOUND from GetAsset and DeleteAsset): an asset:// source names no asset of the tenant.</summary>
    public const string AssetNotFound = "ASSET_NOT_FOUND";
    /// <summary>Production error code: an asset:// source was never uploaded.</summary>
    public const string AssetNotUploaded = "ASSET_NOT_UPLOADED";
    /// <summary>INVALID_ARGUMENT at CreateAsset; HTTP 413 on upload; production error code at render start: more bytes than allowed or declared.</summary>
    public const string AssetTooLarge = "ASSET_TOO_LARGE";
    /// <summary>INVALID_ARGUMENT: CreateAsset with a contentType assets may not have.</summary>
    public const string UnsupportedAssetType = "UNSUPPORTED_ASSET_TYPE";
    /// <summary>HTTP 415 on upload; production error code at render start: the object's Content-Type is not the declared one.</summary>
    public const string ContentTypeMismatch = "CONTENT_TYPE_MISMATCH";

    // Object store (filesystem store's presigned URLs; HTTP only).

    /// <summary>HTTP 404: no object has this key.</summary>
    public const string ObjectNotFound = "OBJECT_NOT_FOUND";
    /// <summary>HTTP 400: the object key is not valid.</summary>
    public const string ObjectKeyInvalid = "OBJECT_KEY_INVALID";
    /// <summary>HTTP 413: an upload beyond RenderFarm:Storage:MaxUploadBytes.</summary>
    public const string ObjectTooLarge = "OBJECT_TOO_LARGE";
    /// <summary>HTTP 403: the object URL (or its upload rules) was tampered with.</summary>
    public const string UrlSignatureInvalid = "URL_SIGNATURE_INVALID";
    /// <summary>HTTP 403: the object URL has expired.</summary>
    public const string UrlExpired = "URL_EXPIRED";

    // Nodes and the node protocol.

    /// <summary>NOT_FOUND: no coordinator holds a node with that id.</summary>
    public const string NodeNotFound = "NODE_NOT_FOUND";
    /// <summary>FAILED_PRECONDITION: a node stream that does not start with a hello.</summary>
    public const string HelloRequired = "HELLO_REQUIRED";
    /// <summary>INVALID_ARGUMENT: a hello without a valid node id or slot count.</summary>
    public const string InvalidHello = "INVALID_HELLO";
    /// <summary>UNAUTHENTICATED: the node token is missing or wrong.</summary>
    public const string NodeTokenInvalid = "NODE_TOKEN_INVALID";
    /// <summary>UNAVAILABLE: the coordinator is shutting down; the node reconnects elsewhere.</summary>
    public const string CoordinatorShutdown = "COORDINATOR_SHUTDOWN";
    /// <summary>Result ack reason: the result's lease token is no longer current.</summary>
    public const string StaleLease = "STALE_LEASE";
    /// <summary>Result ack reason: the production is no longer running.</summary>
    public const string NotRunning = "NOT_RUNNING";
    /// <summary>Result ack reason (and the cancel script's answer): the production no longer exists.</summary>
    public const string NotFound = "NOT_FOUND";
    /// <summary>Cancel reason: the node's lease on the production is no longer current.</summary>
    public const string LeaseLost = "LEASE_LOST";
    /// <summary>Cancel reason: the production was cancelled.</summary>
    public const string Cancelled = "CANCELLED";
    /// <summary>Cancel reason: the production was deleted.</summary>
    public const string Deleted = "DELETED";
    /// <summary>Decline code: every slot of the node is taken.</summary>
    public const string NodeBusy = "NODE_BUSY";
    /// <summary>Decline code: the node is draining.</summary>
    public const string NodeDraining = "NODE_DRAINING";
    /// <summary>Decline code: the node's stream closed before the assignment was sent.</summary>
    public const string NodeGone = "NODE_GONE";

    // Service.

    /// <summary>UNAVAILABLE: Redis is unreachable; nothing was queued.</summary>
    public const string StateUnavailable = "STATE_UNAVAILABLE";
    /// <summary>HTTP 503 from /readyz: Redis does not answer a ping.</summary>
    public const string RedisUnavailable = "REDIS_UNAVAILABLE";
    /// <summary>INTERNAL: an unforeseen failure, logged with the trace id.</summary>
    public const string Internal = "INTERNAL";

    // Render errors: a failed production's error.code (and a failed preview's errorCode).

    /// <summary>Production error code: the SSRF guard refused a media URL.</summary>
    public const string MediaUrlRefused = "MEDIA_URL_REFUSED";
    /// <summary>Production error code: fetching media failed or timed out.</summary>
    public const string MediaFetchFailed = "MEDIA_FETCH_FAILED";
    /// <summary>Production error code: media larger than the node accepts.</summary>
    public const string MediaTooLarge = "MEDIA_TOO_LARGE";
    /// <summary>Production error code: media ffprobe cannot read or the renderer cannot use.</summary>
    public const string MediaUnsupported = "MEDIA_UNSUPPORTED";
    /// <summary>Production error code: ffprobe could not start.</summary>
    public const string MediaProbeFailed = "MEDIA_PROBE_FAILED";
    /// <summary>Production error code: a segment has no usable media.</summary>
    public const string MediaMissing = "MEDIA_MISSING";
    /// <summary>Production error code: the node's checks refused the canvas.</summary>
    public const string InvalidCanvas = "INVALID_CANVAS";
    /// <summary>The canvas has nothing with a duration: INVALID_ARGUMENT at canvas.segments when validation can tell, else a production error code.</summary>
    public const string EmptyCanvas = "EMPTY_CANVAS";
    /// <summary>Production error code: ffmpeg failed, or wrote no usable output.</summary>
    public const string RenderFailed = "RENDER_FAILED";
    /// <summary>Production error code: the render ran past its time limit.</summary>
    public const string RenderTimeout = "RENDER_TIMEOUT";
    /// <summary>Production error code: no libespeak-ng, an unknown voice, or synthesis failed.</summary>
    public const string SpeechFailed = "SPEECH_FAILED";
    /// <summary>Production error code (retryable: another node may have it): a text or captions fontFamily is neither installed on the node nor in canvas.fonts.</summary>
    public const string FontNotFound = "FONT_NOT_FOUND";
    /// <summary>Production error code: a canvas.fonts file is not a TTF or OTF font FreeType opens (empty, truncated, another format, too large).</summary>
    public const string FontInvalid = "FONT_INVALID";
    /// <summary>Production error code: uploading the output failed.</summary>
    public const string UploadFailed = "UPLOAD_FAILED";
    /// <summary>Production error code: the node failed unexpectedly, or reported an output outside the production's storage.</summary>
    public const string NodeError = "NODE_ERROR";
    /// <summary>Production error code: the node shut down or drained before the render finished.</summary>
    public const string NodeShutdown = "NODE_SHUTDOWN";
    /// <summary>Production error code (and cancel reason): the node stopped renewing the lease.</summary>
    public const string LeaseExpired = "LEASE_EXPIRED";
    /// <summary>Production error code: attempts failed on PoisonNodeCount different nodes.</summary>
    public const string PoisonJob = "POISON_JOB";

    // Templates.

    /// <summary>NOT_FOUND: no such template for the caller.</summary>
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";
    /// <summary>RESOURCE_EXHAUSTED: the tenant already has Templates:MaxPerTenant templates.</summary>
    public const string TemplateLimitExceeded = "TEMPLATE_LIMIT_EXCEEDED";
    /// <summary>ABORTED: an update's etag is no longer the template's.</summary>
    public const string TemplateEtagMismatch = "TEMPLATE_ETAG_MISMATCH";
    /// <summary>INVALID_ARGUMENT: a template field name that is malformed or declared twice.</summary>
    public const string InvalidFieldName = "INVALID_FIELD_NAME";
    /// <summary>INVALID_ARGUMENT: a placeholder or binding names a field the template does not declare.</summary>
    public const string FieldUndeclared = "FIELD_UNDECLARED";
    /// <summary>INVALID_ARGUMENT: a declared template field that no placeholder or binding uses.</summary>
    public const string FieldUnused = "FIELD_UNUSED";
    /// <summary>INVALID_ARGUMENT: a binding path that names no numeric field in the canvas.</summary>
    public const string BindingPathInvalid = "BINDING_PATH_INVALID";
    /// <summary>INVALID_ARGUMENT: a merge value for a field the template does not declare.</summary>
    public const string MergeFieldUnknown = "MERGE_FIELD_UNKNOWN";
    /// <summary>INVALID_ARGUMENT: a placeholder with neither a merge value nor a default.</summary>
    public const string PlaceholderUnfilled = "PLACEHOLDER_UNFILLED";
}
