/// The API's OpenAPI 3.0 description, served at `{base}/openapi.yaml`. Tests request every
/// path it lists and check each answer's status and body against it, so it cannot drift from
/// what the server does.
public enum OpenAPIDocument {
    public static let yaml = #"""
        openapi: 3.0.3
        info:
          title: energy API
          version: "1"
          description: >-
            Rollups, readings, statements and job runs of one renewable energy community.
            Every /api/v1 route needs a Keycloak access token (Authorization: Bearer ...).
            The realm role energy-admin sees everything; energy-member sees only the metering points
            and statements of the member named by the token's member claim. Dates are local
            (Europe/Vienna) calendar dates; 'to' is exclusive. Energies are exact kWh with six decimals.
        servers:
          - url: /
        components:
          securitySchemes:
            keycloak:
              type: http
              scheme: bearer
              bearerFormat: JWT
          parameters:
            zaehlpunkt:
              name: zaehlpunkt
              in: path
              required: true
              description: Austrian metering point id, 33 characters (AT + 31).
              schema: {type: string, pattern: "^AT[0-9A-Z]{31}$"}
            from:
              name: from
              in: query
              required: true
              description: First local date.
              schema: {type: string, format: date}
            to:
              name: to
              in: query
              required: true
              description: Local date after the last one (exclusive).
              schema: {type: string, format: date}
            granularity:
              name: granularity
              in: query
              required: false
              description: Bucket size (default day). Longest ranges - 15m 31 days, hour 92, day 366, month 3660.
              schema: {type: string, enum: ["15m", hour, day, month], default: day}
          responses:
            BadRequest:
              description: Unknown parameter, malformed value, range too large, or an operator in the input.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            Unauthorized:
              description: No token, or a token that is not valid for this API.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            Forbidden:
              description: A valid token without the rights for this resource.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            NotFound:
              description: No such route, metering point or statement.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            Unavailable:
              description: The store (or the token issuer) does not answer.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
          schemas:
            Error:
              type: object
              required: [error, message]
              additionalProperties: false
              properties:
                error: {type: string, description: "bad_request, unauthorized, forbidden, not_found, unavailable, ..."}
                message: {type: string}
            MeteringPoint:
              type: object
              required: [zaehlpunkt, direction, member_id]
              additionalProperties: false
              properties:
                zaehlpunkt: {type: string}
                direction: {type: string, enum: [consumption, generation]}
                member_id: {type: string}
            Me:
              type: object
              required: [subject, role, member_id, community, metering_points]
              additionalProperties: false
              properties:
                subject: {type: string}
                role: {type: string, enum: [admin, member]}
                member_id: {type: string, nullable: true}
                community: {type: string}
                metering_points: {type: array, items: {$ref: "#/components/schemas/MeteringPoint"}}
            Points:
              type: object
              required: [community, metering_points]
              additionalProperties: false
              properties:
                community: {type: string}
                metering_points: {type: array, items: {$ref: "#/components/schemas/MeteringPoint"}}
            RollupRow:
              type: object
              required: [bucket_start, consumed_kwh, produced_kwh, shared_kwh, grid_kwh, surplus_kwh, intervals, expected_intervals, dso_intervals]
              additionalProperties: false
              properties:
                bucket_start: {type: string, description: "Local ISO 8601 time with offset"}
                direction: {type: string, enum: [consumption, generation], description: "Only in metering-point rollups"}
                consumed_kwh: {type: number}
                produced_kwh: {type: number}
                shared_kwh: {type: number}
                grid_kwh: {type: number}
                surplus_kwh: {type: number}
                intervals: {type: integer, description: "Quarter hours with readings"}
                expected_intervals: {type: integer, description: "Quarter hours in the bucket (92, 96 or 100 a day)"}
                dso_intervals: {type: integer, description: "Quarter hours whose share is the grid operator's allocation (EDA), not ours"}
            Rollups:
              type: object
              required: [community, zaehlpunkt, granularity, from, to, stale_days, rows]
              additionalProperties: false
              properties:
                community: {type: string}
                zaehlpunkt: {type: string, nullable: true}
                granularity: {type: string, enum: ["15m", hour, day, month]}
                from: {type: string, format: date}
                to: {type: string, format: date}
                stale_days: {type: array, items: {type: string, format: date}, description: "Days not rolled up yet or changed since"}
                rows: {type: array, items: {$ref: "#/components/schemas/RollupRow"}}
            Readings:
              type: object
              required: [community, zaehlpunkt, from, to, readings]
              additionalProperties: false
              properties:
                community: {type: string}
                zaehlpunkt: {type: string}
                from: {type: string, format: date}
                to: {type: string, format: date}
                readings:
                  type: array
                  items:
                    type: object
                    required: [start, direction, kwh]
                    additionalProperties: false
                    properties:
                      start: {type: string}
                      direction: {type: string, enum: [consumption, generation]}
                      kwh: {type: number}
            Statements:
              type: object
              required: [community, statements]
              additionalProperties: false
              properties:
                community: {type: string}
                statements:
                  type: array
                  items:
                    type: object
                    required: [number, period, from, to, member_id, incomplete, issued_at, kind, status, reference, xlsx, csv, pdf]
                    additionalProperties: false
                    properties:
                      number: {type: string}
                      period: {type: string}
                      from: {type: string, format: date}
                      to: {type: string, format: date}
                      member_id: {type: string}
                      incomplete: {type: boolean}
                      issued_at: {type: string}
                      kind: {type: string, enum: [statement, cancellation]}
                      status: {type: string, enum: [final, cancelled, cancellation], description: "cancelled: a cancellation refers to it"}
                      reference: {type: string, nullable: true, description: "A cancellation: the cancelled number; a reissue: the number it replaces."}
                      xlsx: {type: string}
                      csv: {type: string}
                      pdf: {type: string}
            Reconciliation:
              type: object
              description: "The grid operator's allocation against ours; the same figures as `energy reconcile`."
              required: [community, from, to, tolerance_mwh, agrees, points, days]
              additionalProperties: false
              properties:
                community: {type: string}
                from: {type: string, format: date}
                to: {type: string, format: date}
                tolerance_mwh: {type: integer}
                agrees: {type: boolean, description: "Nothing differs beyond the tolerance and every day conserves"}
                points:
                  type: array
                  items:
                    type: object
                    required: [day, zaehlpunkt, direction, computed_shared_kwh, dso_shared_kwh, difference_kwh, quarter_hours_differing]
                    additionalProperties: false
                    properties:
                      day: {type: string, format: date}
                      zaehlpunkt: {type: string}
                      direction: {type: string, enum: [consumption, generation]}
                      computed_shared_kwh: {type: number}
                      dso_shared_kwh: {type: number}
                      difference_kwh: {type: number, description: "DSO - computed"}
                      quarter_hours_differing: {type: integer}
                days:
                  type: array
                  items:
                    type: object
                    required: [day, computed_shared_kwh, dso_shared_kwh, dso_taken_from_producers_kwh, difference_kwh,
                               quarter_hours_differing, quarter_hours_not_conserving, dso_conserves]
                    additionalProperties: false
                    properties:
                      day: {type: string, format: date}
                      computed_shared_kwh: {type: number}
                      dso_shared_kwh: {type: number, description: "What the DSO allocated to the consumers (G.03)"}
                      dso_taken_from_producers_kwh: {type: number, description: "What the DSO says the producers gave"}
                      difference_kwh: {type: number}
                      quarter_hours_differing: {type: integer}
                      quarter_hours_not_conserving: {type: integer}
                      dso_conserves: {type: boolean}
            Runs:
              type: object
              required: [community, runs]
              additionalProperties: false
              properties:
                community: {type: string}
                runs:
                  type: array
                  items:
                    type: object
                    required: [id, command, started_at, finished_at, outcome, first_day, last_day, days, readings, message]
                    additionalProperties: false
                    properties:
                      id: {type: integer}
                      command: {type: string}
                      started_at: {type: string}
                      finished_at: {type: string, nullable: true}
                      outcome: {type: string, nullable: true}
                      first_day: {type: string, nullable: true}
                      last_day: {type: string, nullable: true}
                      days: {type: integer, nullable: true}
                      readings: {type: integer, nullable: true}
                      message: {type: string, nullable: true}
        security:
          - keycloak: []
        paths:
          /healthz:
            get:
              summary: The process is up.
              security: []
              responses:
                "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
          /readyz:
            get:
              summary: The store answers.
              security: []
              responses:
                "200": {description: ready, content: {text/plain: {schema: {type: string}}}}
                "503": {$ref: "#/components/responses/Unavailable"}
          /metrics:
            get:
              summary: Prometheus metrics (requests, latency, store, jobs).
              security: []
              responses:
                "200": {description: Prometheus text format, content: {text/plain: {schema: {type: string}}}}
          /openapi.yaml:
            get:
              summary: This document (under the base path).
              security: []
              responses:
                "200": {description: OpenAPI 3.0 YAML, content: {application/yaml: {schema: {type: string}}}}
          /api/v1/me:
            get:
              summary: Who the token stands for, and the metering points it may read.
              responses:
                "200": {description: The caller, content: {application/json: {schema: {$ref: "#/components/schemas/Me"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
          /api/v1/points:
            get:
              summary: The metering points the caller may read.
              responses:
                "200": {description: Metering points, content: {application/json: {schema: {$ref: "#/components/schemas/Points"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
          /api/v1/community/rollups:
            get:
              summary: Community-wide rollups (administrators only).
              parameters:
                - {$ref: "#/components/parameters/granularity"}
                - {$ref: "#/components/parameters/from"}
                - {$ref: "#/components/parameters/to"}
              responses:
                "200": {description: Rollups, content: {application/json: {schema: {$ref: "#/components/schemas/Rollups"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/community/reconciliation:
            get:
              summary: "The grid operator's allocation against ours, per day and metering point (administrators only)."
              parameters:
                - {$ref: "#/components/parameters/from"}
                - {$ref: "#/components/parameters/to"}
                - {name: tolerance_mwh, in: query, required: false, schema: {type: integer, minimum: 0, default: 0}}
              responses:
                "200": {description: Reconciliation, content: {application/json: {schema: {$ref: "#/components/schemas/Reconciliation"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/points/{zaehlpunkt}/rollups:
            get:
              summary: Rollups of one metering point (both directions if it has both).
              parameters:
                - {$ref: "#/components/parameters/zaehlpunkt"}
                - {$ref: "#/components/parameters/granularity"}
                - {$ref: "#/components/parameters/from"}
                - {$ref: "#/components/parameters/to"}
              responses:
                "200": {description: Rollups, content: {application/json: {schema: {$ref: "#/components/schemas/Rollups"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "404": {$ref: "#/components/responses/NotFound"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/points/{zaehlpunkt}/readings:
            get:
              summary: Raw 15-minute readings of one metering point (at most 31 days).
              parameters:
                - {$ref: "#/components/parameters/zaehlpunkt"}
                - {$ref: "#/components/parameters/from"}
                - {$ref: "#/components/parameters/to"}
              responses:
                "200": {description: Readings, content: {application/json: {schema: {$ref: "#/components/schemas/Readings"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "404": {$ref: "#/components/responses/NotFound"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/statements:
            get:
              summary: Final statements (members see their own).
              parameters:
                - {name: year, in: query, required: false, schema: {type: integer, minimum: 1970, maximum: 9998}}
              responses:
                "200": {description: Statements, content: {application/json: {schema: {$ref: "#/components/schemas/Statements"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/statements/{number}:
            get:
              summary: One final statement or cancellation as XLSX, CSV or PDF, written again from the stored data (byte-identical while the data is unchanged).
              parameters:
                - {name: number, in: path, required: true, schema: {type: string, pattern: "^[0-9]{4}-[0-9]{4,9}$"}}
                - {name: format, in: query, required: false, schema: {type: string, enum: [xlsx, csv, pdf], default: xlsx}}
              responses:
                "200":
                  description: The statement file
                  content:
                    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, format: binary}}
                    text/csv: {schema: {type: string}}
                    application/pdf: {schema: {type: string, format: binary}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "404": {$ref: "#/components/responses/NotFound"}
                "409":
                  description: The data changed since the statement was issued; it cannot be reproduced.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Error"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/runs:
            get:
              summary: Recent rollup and billing runs (administrators only).
              parameters:
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 1000, default: 50}}
              responses:
                "200": {description: Runs, content: {application/json: {schema: {$ref: "#/components/schemas/Runs"}}}}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "503": {$ref: "#/components/responses/Unavailable"}
        """#
}
