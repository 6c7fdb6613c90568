import EnergyCore
import Foundation
import Hummingbird

/// An error the API answers with: a status and a JSON body `{"error": code, "message": text}` that
/// says what was wrong and where, so a client (or the person reading its log) can act on it.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// A stable, machine-readable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`, …
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    public static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, "unavailable", message) }
    public static func internalError(_ message: String) -> APIError { APIError(.internalServerError, "internal", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized {
            // RFC 6750: tell the client which scheme and why.
            headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
        }
        let body = JSONText.object([("error", .string(code)), ("message", .string(message))]).rendered + "\n"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
