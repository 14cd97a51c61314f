using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LeadFunctions.LocalHost.Http;

/// <summary>
/// RFC 9457 problems for every error the host itself answers (SPEC 5): routing's bodiless 404 and
/// 405, and the 400, 414 and 431 that Kestrel writes on its own, before any middleware, for a
/// request it cannot parse (a NUL in the path, an over-long URL or header).
/// </summary>
internal static class HostProblems
{
    /// <summary>Routing's empty 4xx/5xx answers (no such route, wrong method) get a problem body.</summary>
    public static void UseProblemStatusPages(this WebApplication app) =>
        app.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var detail = status switch
            {
                StatusCodes.Status404NotFound => $"No function answers {context.HttpContext.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"The route does not take {context.HttpContext.Request.Method}.",
                _ => "The host refused the request.",
            };
            await ProblemResponses.WriteAsync(context.HttpContext, status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail);
        });

    /// <summary>Rewrites Kestrel's own bodiless error answers on this endpoint's connections into problems.</summary>
    public static ListenOptions UseProblemRejections(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var output = new RejectionRewriter(transport.Output.AsStream(leaveOpen: true));
            connection.Transport = new Duplex(transport.Input, PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true)));
            try
            {
                await next(connection);
            }
            finally
            {
                await connection.Transport.Output.CompleteAsync();
                connection.Transport = transport;
            }
        });
        return listen;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>
    /// Kestrel's rejection is one write of a status line and headers with Content-Length: 0 and
    /// Connection: close; it is the only bodiless error that closes the connection, so it is
    /// recognized by that and rewritten with a body. Everything else passes through untouched.
    /// </summary>
    private sealed class RejectionRewriter(Stream inner) : Stream
    {
        private static readonly byte[] EmptyLength = "\r\nContent-Length: 0\r\n"u8.ToArray();
        private static readonly byte[] ClosesConnection = "\r\nConnection: close\r\n"u8.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await inner.WriteAsync(Rewrite(buffer), cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(Rewrite(buffer.AsMemory(offset, count)).Span);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        private static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> buffer)
        {
            var span = buffer.Span;
            if (span.Length < 16 || !span.StartsWith("HTTP/1.1 "u8) || span[9] is not ((byte)'4' or (byte)'5')
                || !span.EndsWith("\r\n\r\n"u8) || span.IndexOf(EmptyLength) < 0 || span.IndexOf(ClosesConnection) < 0
                || !int.TryParse(span.Slice(9, 3), out var status))
            {
                return buffer;
            }

            var detail = status switch
            {
                StatusCodes.Status400BadRequest => "The request line or its headers are malformed (a NUL character in the path, say).",
                StatusCodes.Status414UriTooLong => "The URL is longer than the host accepts.",
                StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are larger than the host accepts.",
                _ => "The host refused the request.",
            };
            var body = JsonSerializer.SerializeToUtf8Bytes(ProblemResponses.Body(status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail), JsonSerializerOptions.Web);
            var head = Encoding.ASCII.GetString(span[..^2]).Replace("\r\nContent-Length: 0\r\n", $"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n", StringComparison.Ordinal);
            return Encoding.ASCII.GetBytes(head + "\r\n").Concat(body).ToArray();
        }
    }
}
