package dev.hotrestart.reload;

import java.nio.charset.StandardCharsets;

/**
 * Reads which method a call instruction names: the instruction's bytes and the class's constant
 * pool as the JVM hands them over (JDWP's {@code Method.Bytecodes} and
 * {@code ReferenceType.ConstantPool}, in class-file format). A frame left running code a reload
 * replaced has lost its method's name; its caller's call instruction still has it.
 */
final class CallSite {
    private CallSite() {}

    /** Name and descriptor of the method the instruction at {@code at} calls, or null when it is not a plain call. */
    static String[] called(byte[] code, int at, byte[] pool, int poolCount) {
        if (at < 0 || at + 2 >= code.length) return null;
        int op = code[at] & 0xff;
        // invokevirtual, invokespecial, invokestatic, invokeinterface (invokedynamic names no method)
        if (op < 0xb6 || op > 0xb9) return null;
        int index = u2(code, at + 1);
        int[] offsets = offsets(pool, poolCount);
        if (offsets == null || index <= 0 || index >= poolCount) return null;
        int ref = offsets[index];
        int tag = pool[ref] & 0xff;
        if (tag != 10 && tag != 11) return null; // Methodref, InterfaceMethodref
        int nat = offsets[u2(pool, ref + 3)];
        if ((pool[nat] & 0xff) != 12) return null; // NameAndType
        String name = utf8(pool, offsets[u2(pool, nat + 1)]);
        String descriptor = utf8(pool, offsets[u2(pool, nat + 3)]);
        return name == null || descriptor == null ? null : new String[]{name, descriptor};
    }

    /** Where each entry starts (index 1 to count - 1), or null for a pool this reader does not know. */
    static int[] offsets(byte[] pool, int count) {
        int[] at = new int[Math.max(count, 1)];
        int p = 0;
        for (int i = 1; i < count; i++) {
            if (p >= pool.length) return null;
            at[i] = p;
            int tag = pool[p] & 0xff;
            switch (tag) {
                case 1 -> p += 3 + u2(pool, p + 1); // Utf8
                case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long, Double: two slots
                    p += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                case 15 -> p += 4; // MethodHandle
                default -> {
                    return null;
                }
            }
        }
        return at;
    }

    /** A Utf8 entry's text (modified UTF-8 reads as UTF-8 for the names of methods and types), or null. */
    private static String utf8(byte[] pool, int at) {
        if ((pool[at] & 0xff) != 1) return null;
        return new String(pool, at + 3, u2(pool, at + 1), StandardCharsets.UTF_8);
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
