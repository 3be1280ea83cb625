package dev.hotrestart.jvm;

import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.EventSet;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that takes events off the VM's queue, as jdb does. Each event set is handed
 * to the handler; the set's threads are resumed when the handler says nothing stopped.
 */
public final class EventLoop {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

    public interface Handler {
        /** Returns true when the set's suspended threads should be resumed. */
        boolean handle(EventSet set);

        void disconnected();
    }

    public static Thread start(VirtualMachine vm, Handler handler) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    EventSet set = vm.eventQueue().remove();
                    boolean resume;
                    try {
                        resume = handler.handle(set);
                    } catch (VMDisconnectedException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "event handling failed for " + set, e);
                        resume = true;
                    }
                    if (resume) set.resume();
                }
            } catch (InterruptedException | VMDisconnectedException e) {
                // the VM is gone
            } finally {
                handler.disconnected();
            }
        }, "jdi-events");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
