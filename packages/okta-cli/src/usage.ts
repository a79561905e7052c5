/** `okta-auth --help`. Kept in step with the README. */
export const usage = `Usage: okta-auth [--profile NAME] [--verbose] <command> …

Commands:
  api <METHOD> <path> [--data|-d JSON|@file|@-] [--paginate [--ndjson]]
                    call any Okta API with the profile's credential; JSON to stdout;
                    --data is UTF-8 JSON; with --ndjson, a walk cut short says
                    on stderr how to resume
  api GET /api/v1/logs?since=… --follow [--interval SECONDS]
                    follow the System Log as it grows, one JSON line per event,
                    polling every SECONDS (60) once caught up; Ctrl-C, SIGTERM
                    or SIGHUP stops, and stderr says how to resume
  login [--no-browser]
                    sign a person in (device sign-in); tokens kept in a 0600 file
  login --browser [--no-browser]
                    sign in through the browser on this computer instead, its
                    callback served on the profile's redirectUri (http://127.0.0.1:PORT/PATH)
  logout            revoke the signed-in person's tokens and delete them
  doctor            check the configuration step by step and say what to fix
  emulator [--port N] [--write FILE]
                    start a local emulated org and write an okta.yaml for it

Options:
  --profile NAME    a named profile (okta.profiles.NAME in okta.yaml); default: okta.client
                    and OKTA_CLIENT_* variables (also: OKTA_AUTH_PROFILE)
  --verbose, -v     print each request and response to stderr, credentials redacted
  --timeout SECONDS each request's time limit, reading the answer included
                    (default 30, 1 to 3600)
  --max-wait SECONDS
                    the most one request waits in all before its retries (a
                    429's wait, a 408 or 5xx's backoff); a longer wait is not
                    started, the answer is the error (default 65, 0 to 3600;
                    0: a 429, 408 or 5xx fails at once)
  --retries N       how many times a rate-limited (429) request is retried
                    (default 2, 0 to 20)
  --help, -h        this text
  --version         the version

Configuration, lowest precedence first: ~/.okta/okta.yaml, ./okta.yaml, OKTA_CLIENT_* variables.
Exit codes: 0 ok, 1 API error (400, 409…), 2 usage, 3 configuration,
            4 authentication (401, 403), 5 network (no answer), 6 doctor
            found a problem, 7 not found (404, 410), 8 rate limited (429
            after the retries), 9 Okta failed (5xx, 408 after the retries),
            129 SIGHUP, 130 interrupted (Ctrl-C), 143 SIGTERM.
`;
