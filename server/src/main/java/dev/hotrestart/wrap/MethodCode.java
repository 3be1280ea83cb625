package dev.hotrestart.wrap;

import org.objectweb.asm.ClassReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A method's code and exception table, read straight from its class file's Code attribute. */
public final class MethodCode {
    /** The code array. */
    public final byte[] code;
    /** Each handler as {start, end (exclusive), handler}, in the order of the table. */
    public final List<int[]> handlers;

    private MethodCode(byte[] code, List<int[]> handlers) {
        this.code = code;
        this.handlers = handlers;
    }

    /** The method of that name and descriptor, or null when the class file has no such method with code. */
    public static MethodCode of(byte[] classFile, String name, String descriptor) {
        ClassReader r = new ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        int p = r.header + 6;
        p += 2 + 2 * u2(classFile, p); // interfaces
        for (int kind = 0; kind < 2; kind++) { // fields, then methods
            int n = u2(classFile, p);
            p += 2;
            for (int i = 0; i < n; i++) {
                boolean wanted = kind == 1 && r.readUTF8(p + 2, buf).equals(name) && r.readUTF8(p + 4, buf).equals(descriptor);
                int attributes = u2(classFile, p + 6);
                p += 8;
                for (int a = 0; a < attributes; a++) {
                    int length = u4(classFile, p + 2);
                    if (wanted && r.readUTF8(p, buf).equals("Code")) return read(classFile, p + 6);
                    p += 6 + length;
                }
            }
        }
        return null;
    }

    /** A Code attribute's content at {@code at}: max_stack, max_locals, the code, the exception table. */
    private static MethodCode read(byte[] f, int at) {
        int codeLength = u4(f, at + 4);
        int codeStart = at + 8;
        byte[] code = Arrays.copyOfRange(f, codeStart, codeStart + codeLength);
        int table = codeStart + codeLength;
        int entries = u2(f, table);
        List<int[]> handlers = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            int e = table + 2 + 8 * i;
            handlers.add(new int[]{u2(f, e), u2(f, e + 2), u2(f, e + 4)});
        }
        return new MethodCode(code, handlers);
    }

    /** Whether the code at {@code position} lies in a range that the handler at {@code handler} catches. */
    public boolean caughtAt(int position, int handler) {
        for (int[] h : handlers) if (h[2] == handler && position >= h[0] && position < h[1]) return true;
        return false;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
