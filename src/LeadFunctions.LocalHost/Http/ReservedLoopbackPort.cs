using System.Net;
using System.Net.Sockets;

namespace LeadFunctions.LocalHost.Http;

/// <summary>
/// "Any free port" (<c>--port 0</c>) chosen before the app is built: settings that hold the host's
/// own address (the development identity provider's issuer) must be known when the function app
/// reads its settings, which is before Kestrel starts. The port is chosen by binding a loopback
/// socket here, and Kestrel is handed that very socket, so no other process can take the port
/// between the choice and the listen.
/// </summary>
/// <remarks>
/// The socket is handed over as an object through <see cref="Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateBoundListenSocket"/>
/// rather than as a descriptor through <c>ListenHandle</c>: Kestrel wraps a descriptor in a second
/// Socket that either owns it (closing it at stop, after which this one would close the same number
/// again, by then perhaps another file's) or does not (and then nothing wakes Kestrel's pending
/// accept at stop). Handed the object, Kestrel listens on it and disposes it at stop; one owner.
/// </remarks>
internal sealed class ReservedLoopbackPort : IDisposable
{
    private readonly Socket socket;
    private int handedOver;

    private ReservedLoopbackPort(Socket socket, IPEndPoint endPoint)
    {
        this.socket = socket;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>The address clients use, the one Kestrel reports for this socket.</summary>
    public Uri BaseAddress => new($"http://{EndPoint}/");

    public static ReservedLoopbackPort Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Bound but not listening: the port is ours, and connections are refused until Kestrel listens.
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return new ReservedLoopbackPort(socket, (IPEndPoint)socket.LocalEndPoint!);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The reserved socket for Kestrel's bind of this end point, once; null for any other end point.</summary>
    public Socket? TakeFor(EndPoint endPoint) =>
        endPoint is IPEndPoint ip && ip.Equals(EndPoint) && Interlocked.Exchange(ref handedOver, 1) == 0 ? socket : null;

    /// <summary>Closes the socket if Kestrel never took it; after Kestrel disposed it, a second dispose does nothing.</summary>
    public void Dispose() => socket.Dispose();
}
