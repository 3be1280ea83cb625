package dev.hotrestart.reload;

import java.util.ArrayList;
import java.util.List;

/** Walks a method's bytecode instruction by instruction (as JDI's {@code Method.bytecodes()} gives it). */
public final class Bytecode {
    private Bytecode() {}

    private static final int SIPUSH = 0x11;

    /** The code indexes of every {@code sipush value} in {@code code}. */
    public static List<Integer> sipushes(byte[] code, int value) {
        List<Integer> at = new ArrayList<>();
        int i = 0;
        while (i < code.length) {
            int op = code[i] & 0xff;
            if (op == SIPUSH && i + 2 < code.length && (short) (((code[i + 1] & 0xff) << 8) | (code[i + 2] & 0xff)) == value) at.add(i);
            int n = length(code, i);
            if (n <= 0) break; // not bytecode this walker knows: stop rather than guess
            i += n;
        }
        return at;
    }

    /** The length of the instruction at {@code i}, or 0 for an unknown opcode. */
    public static int length(byte[] code, int i) {
        int op = code[i] & 0xff;
        switch (op) {
            case 0x10: case 0x12: case 0x15: case 0x16: case 0x17: case 0x18: case 0x19: // bipush ldc xload
            case 0x36: case 0x37: case 0x38: case 0x39: case 0x3a: case 0xa9: case 0xbc: // xstore ret newarray
                return 2;
            case 0x11: case 0x13: case 0x14: case 0x84: case 0xb2: case 0xb3: case 0xb4: case 0xb5: // sipush ldc_w ldc2_w iinc fields
            case 0xb6: case 0xb7: case 0xb8: case 0xbb: case 0xbd: case 0xc0: case 0xc1: // invokes new anewarray checkcast instanceof
            case 0xc6: case 0xc7: case 0xa7: case 0xa8: // ifnull ifnonnull goto jsr
                return 3;
            case 0xc5: // multianewarray
                return 4;
            case 0xb9: case 0xba: case 0xc8: case 0xc9: // invokeinterface invokedynamic goto_w jsr_w
                return 5;
            case 0xc4: // wide
                return i + 1 < code.length && (code[i + 1] & 0xff) == 0x84 ? 6 : 4;
            case 0xaa: { // tableswitch
                int p = (i + 4) & ~3;
                if (p + 12 > code.length) return 0;
                int low = readInt(code, p + 4), high = readInt(code, p + 8);
                return p + 12 + 4 * (high - low + 1) - i;
            }
            case 0xab: { // lookupswitch
                int p = (i + 4) & ~3;
                if (p + 8 > code.length) return 0;
                int pairs = readInt(code, p + 4);
                return p + 8 + 8 * pairs - i;
            }
            default:
                if (op >= 0x99 && op <= 0xa6) return 3; // if<cond>, if_icmp<cond>, if_acmp<cond>
                return op <= 0xc9 ? 1 : 0;
        }
    }

    private static int readInt(byte[] c, int p) {
        return ((c[p] & 0xff) << 24) | ((c[p + 1] & 0xff) << 16) | ((c[p + 2] & 0xff) << 8) | (c[p + 3] & 0xff);
    }
}
