package dev.hotrestart.reload;

import org.junit.jupiter.api.Test;
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
        byte[] code = code(file, reader, "caller");
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

    /** The code array of the named method, from the class file's Code attribute. */
    private static byte[] code(byte[] f, ClassReader r, String method) {
        char[] buf = new char[r.getMaxStringLength()];
        int p = r.header + 6;
        p += 2 + 2 * u2(f, p); // interfaces
        for (int kind = 0; kind < 2; kind++) { // fields, then methods
            int n = u2(f, p);
            p += 2;
            for (int i = 0; i < n; i++) {
                String name = r.readUTF8(p + 2, buf);
                int attrs = u2(f, p + 6);
                p += 8;
                for (int a = 0; a < attrs; a++) {
                    String attr = r.readUTF8(p, buf);
                    int len = u4(f, p + 2);
                    if (kind == 1 && name.equals(method) && attr.equals("Code")) {
                        int codeLength = u4(f, p + 10);
                        return Arrays.copyOfRange(f, p + 14, p + 14 + codeLength);
                    }
                    p += 6 + len;
                }
            }
        }
        throw new AssertionError("no method " + method);
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
