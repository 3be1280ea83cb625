package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequestManager;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Redefines classes with the same JDWP command and the same bookkeeping as JDI's
 * {@code VirtualMachine.redefineClasses}, but hands each class's bytes to the packet as one array:
 * JDI writes them one synchronized call per byte, about 3 ms for a 128 KB class (a 10,000-line
 * file) on the adapter's C1-only JIT, more than the JVM takes to redefine it. It reaches JDI's
 * package-private packet class, which the server jar's manifest opens ({@code Add-Opens}); where
 * that is not so (another launcher, another JDI), {@link #redefine} says so and the caller uses
 * JDI's own call. A redefinition the JVM refuses also comes back false: nothing changed, and JDI's
 * call then gives the refusal in JDI's own words.
 */
final class WholeRedefine {
    private static final Logger LOG = Logger.getLogger(WholeRedefine.class.getName());
    /** JDWP's command set VirtualMachine and its command RedefineClasses. */
    private static final int VIRTUAL_MACHINE = 1;
    private static final int REDEFINE_CLASSES = 18;

    private static final Access ACCESS = Access.find();

    private WholeRedefine() {}

    /** True when JDI's internals this needs are reachable. */
    static boolean available() {
        return ACCESS != null;
    }

    /**
     * Redefines the classes; false when it could not send the command or the JVM refused it
     * (then nothing changed and the caller redefines through JDI's call).
     */
    static boolean redefine(VirtualMachine vm, Map<ReferenceType, byte[]> classes) {
        Access a = ACCESS;
        if (a == null || !vm.canRedefineClasses() || !a.vmClass.isInstance(vm)) return false;
        for (ReferenceType t : classes.keySet()) {
            if (!a.typeClass.isInstance(t) || t.virtualMachine() != vm) return false;
        }
        boolean sent = false;
        try {
            Object packet = a.packet.newInstance(vm, VIRTUAL_MACHINE, REDEFINE_CLASSES);
            a.writeInt.invoke(packet, classes.size());
            for (Map.Entry<ReferenceType, byte[]> e : classes.entrySet()) {
                a.writeClassRef.invoke(packet, (long) a.ref.invoke(e.getKey()));
                a.writeInt.invoke(packet, e.getValue().length);
                a.writeByteArray.invoke(packet, (Object) e.getValue());
            }
            // as JDI does: cached thread state and frames are stale once the command is sent
            a.thaw.invoke(a.state.invoke(vm));
            a.send.invoke(packet);
            sent = true;
            a.waitForReply.invoke(packet);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (a.jdwpException.isInstance(cause)) return false; // refused, nothing changed: JDI's call says why
            if (cause instanceof com.sun.jdi.VMDisconnectedException d) throw d;
            if (!sent) return false; // nothing went out: JDI's call does it
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!sent) return false; // nothing went out: JDI's call does it
            throw new IllegalStateException("no answer to the redefinition", e);
        }
        // as JDI does: the JVM cleared the classes' breakpoints, and what JDI cached of them is stale
        EventRequestManager requests = vm.eventRequestManager();
        List<BreakpointRequest> cleared = new ArrayList<>();
        for (BreakpointRequest r : requests.breakpointRequests()) {
            if (classes.containsKey(r.location().declaringType())) cleared.add(r);
        }
        requests.deleteEventRequests(cleared);
        for (ReferenceType t : classes.keySet()) {
            try {
                a.noticeRedefine.invoke(t);
            } catch (ReflectiveOperationException e) {
                // the classes are redefined all the same; JDI may show their old lines until it reads them again
                LOG.log(Level.WARNING, "JDI's cache of " + t.name() + " could not be cleared after its redefinition", e);
            }
        }
        return true;
    }

    /** JDI's package-private members this uses, reachable. */
    private record Access(Class<?> vmClass, Class<?> typeClass, Class<?> jdwpException, Constructor<?> packet,
                          Method writeInt, Method writeClassRef, Method writeByteArray, Method send, Method waitForReply,
                          Method state, Method thaw, Method ref, Method noticeRedefine) {
        static Access find() {
            try {
                String p = "com.sun.tools.jdi.";
                Class<?> vmImpl = Class.forName(p + "VirtualMachineImpl");
                Class<?> packetStream = Class.forName(p + "PacketStream");
                Class<?> typeImpl = Class.forName(p + "ReferenceTypeImpl");
                Class<?> vmState = Class.forName(p + "VMState");
                Class<?> jdwpException = Class.forName(p + "JDWPException");
                Access a = new Access(vmImpl, typeImpl, jdwpException,
                        packetStream.getDeclaredConstructor(vmImpl, int.class, int.class),
                        packetStream.getDeclaredMethod("writeInt", int.class),
                        packetStream.getDeclaredMethod("writeClassRef", long.class),
                        packetStream.getDeclaredMethod("writeByteArray", byte[].class),
                        packetStream.getDeclaredMethod("send"),
                        packetStream.getDeclaredMethod("waitForReply"),
                        vmImpl.getDeclaredMethod("state"),
                        vmState.getDeclaredMethod("thaw"),
                        typeImpl.getDeclaredMethod("ref"),
                        typeImpl.getDeclaredMethod("noticeRedefineClass"));
                for (java.lang.reflect.AccessibleObject o : new java.lang.reflect.AccessibleObject[] {a.packet, a.writeInt,
                        a.writeClassRef, a.writeByteArray, a.send, a.waitForReply, a.state, a.thaw, a.ref, a.noticeRedefine}) {
                    o.setAccessible(true); // throws when the package is not opened to us
                }
                return a;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
