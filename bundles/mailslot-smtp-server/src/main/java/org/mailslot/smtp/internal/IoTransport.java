package org.mailslot.smtp.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * How the event loops reach the sockets: netty's native epoll transport where its library loads
 * (Linux; the distribution carries it for x86-64), else Java's NIO. Both behave the same to a
 * session; epoll spends less of the loop's time per system call (no selector key sets, no NIO
 * locks around each read and write), which is most of a loop's work under many short sessions.
 */
enum IoTransport {
    EPOLL,
    NIO;

    /** @return epoll if its native library loaded, else NIO */
    static IoTransport available() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    IoHandlerFactory handlers() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** @return why epoll is not used, for the log; empty when it is */
    static String whyNotEpoll() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "" : cause.toString();
    }
}
