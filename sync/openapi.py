"""The OpenAPI description of the sync protocol's endpoints (sync.routes), for /openapi.json."""
TEXT = {"type": "string"}
ERROR = {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"oneOf": [{"type": "string"}, {"type": "integer"}],
              "description": "A stable code (bad_uuid, bad_owner, no_file, owner_not_found, forbidden, conflict, "
                             "too_large, not_image, ...), or the HTTP status for a refusal before the view "
                             "(sign-in, CSRF, size, the text rule)."},
    "message": {"type": "string", "description": "In English, for the developer."}}}
SESSION = [{"session": []}]
WITH_CSRF = [{"session": [], "csrf": []}]


def refused(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SyncError"}}}}


NOT_SIGNED_IN = refused("Not signed in (or the session expired): the outbox keeps its items and asks to sign in.")
FORBIDDEN = refused("The user's role may not use this endpoint.")


def ok(description, properties, required):
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": list(required), "properties": properties}}}}


PHOTO_STORED = {"status": {"type": "string", "enum": ["stored", "duplicate"]}, "uuid": TEXT,
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}

PATHS = {
    "/sync/token": {"get": {
        "summary": "A fresh CSRF token, fetched by the outbox before it replays saved forms",
        "operationId": "sync_token", "tags": ["Sync"], "security": SESSION,
        "responses": {"200": ok("The token and the signed-in user's id.",
                                {"csrf_token": TEXT, "user": {"type": "integer"}}, ("csrf_token", "user")),
                      "401": NOT_SIGNED_IN, "403": FORBIDDEN}}},
    "/sync/manifest": {"get": {
        "summary": "The pages of the signed-in user's working set, to keep on the phone for offline use",
        "operationId": "sync_manifest", "tags": ["Sync"], "security": SESSION,
        "responses": {"200": ok("Same-origin URLs (paths) and how many.",
                                {"urls": {"type": "array", "items": TEXT}, "count": {"type": "integer"}},
                                ("urls", "count")),
                      "401": NOT_SIGNED_IN, "403": FORBIDDEN}}},
    "/sync/photos": {"post": {
        "summary": "One photo of a record already sent; idempotent by uuid (the same photo again: duplicate)",
        "operationId": "sync_photo_upload", "tags": ["Sync"], "security": WITH_CSRF,
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["uuid", "owner", "owner_id", "file"], "properties": {
                "uuid": {"type": "string", "format": "uuid", "description": "Made on the device."},
                "owner": {"type": "string", "description": "The kind of record (report, intervention, ...)."},
                "owner_id": {"type": "string", "description": "The record's uuid (or id)."},
                "role": {"type": "string", "enum": ["report", "before", "after"], "default": "report"},
                "client_created_at": {"type": "string", "description": "The device's clock when taken."},
                "file": {"type": "string", "format": "binary",
                         "description": "JPEG, HEIC, PNG or WebP; its metadata is removed."}}}}}},
        "responses": {
            "201": ok("Stored.", PHOTO_STORED, ("status", "uuid", "sha256")),
            "200": ok("Already stored under this uuid (a replay).", PHOTO_STORED, ("status", "uuid", "sha256")),
            "400": refused("A field is missing or wrong, or the CSRF token is missing or stale."),
            "401": NOT_SIGNED_IN, "403": refused("The role, or the record, does not let this user add photos."),
            "404": refused("No such record that the user can see."),
            "409": refused("This uuid already holds another photo or record."),
            "413": refused("The photo or the request is over the size limit."),
            "422": refused("Not an image, truncated, over the pixel limit, or a text field refused by the text "
                           "rule.")}}},
}

SECURITY = {
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The session cookie set by signing in at POST /login."},
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
             "description": "The csrf_token from GET /sync/token, on every POST."},
}

OPENAPI = {"paths": PATHS, "components": {"schemas": {"SyncError": ERROR}, "securitySchemes": SECURITY}}
