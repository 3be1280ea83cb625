package dev.hotrestart.eval;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How an evaluation waits for a method it called in the program; the event loop keeps events moving meanwhile. */
public interface CallWaiter {
    <V> V await(CompletableFuture<V> call, long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException;

    CallWaiter PLAIN = new CallWaiter() {
        @Override
        public <V> V await(CompletableFuture<V> call, long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
            return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    };
}
