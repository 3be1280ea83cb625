package dev.hotrestart.reload;

import org.junit.jupiter.api.Test;
import dev.hotrestart.wrap.MethodCode;
import org.objectweb.asm.ClassReader;

import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Which method a call instruction names, read from real class files as the JVM hands them over. */
class CallSiteTest {
    @SuppressWarnings("unused")
    static class Sample {
        static final double RATE = 0.25;

        void caller() {
            callee(123456789012L, "x", RATE);
            Runnable r = () -> { };
            r.run();
        }

        void callee(long a, String b, double c) {
        }
    }

    @Test
    void theCallInTheCallerNamesTheCalledMethod() throws Exception {
        byte[] file;
        try (InputStream in = Sample.class.getResourceAsStream("CallSiteTest$Sample.class")) {
            file = in.readAllBytes();
        }
        ClassReader reader = new ClassReader(file);
        byte[] pool = Arrays.copyOfRange(file, 10, reader.header); // what JDWP's ConstantPool returns
        int count = reader.getItemCount();
        byte[] code = MethodCode.of(file, "caller", "()V").code;
        assertNull(CallSite.called(code, 0, pool, count), "aload_0 calls nothing");
        // every offset that reads as a call, in order: callee, then run (the invokedynamic that makes the lambda names no method)
        StringBuilder calls = new StringBuilder();
        for (int at = 0; at < code.length; at++) {
            String[] c = CallSite.called(code, at, pool, count);
            if (c != null) calls.append(c[0]).append(c[1]).append(' ');
        }
        assertEquals("callee(JLjava/lang/String;D)V run()V ", calls.toString());
    }

    @Test
    void aPoolWithAnUnknownEntryIsNotRead() {
        byte[] pool = {(byte) 99, 0, 0};
        assertNull(CallSite.offsets(pool, 2));
        assertNull(CallSite.called(new byte[]{(byte) 0xb6, 0, 1}, 0, pool, 2));
    }
}
