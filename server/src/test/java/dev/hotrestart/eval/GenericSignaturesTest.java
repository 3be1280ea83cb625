package dev.hotrestart.eval;

import dev.hotrestart.eval.GenericSignatures.G;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class GenericSignaturesTest {
    private static final String LIST = "<E:Ljava/lang/Object;>Ljava/lang/Object;Ljava/util/Collection<TE;>;";
    private static final String HASH_MAP = "<K:Ljava/lang/Object;V:Ljava/lang/Object;>Ljava/util/AbstractMap<TK;TV;>;"
            + "Ljava/util/Map<TK;TV;>;Ljava/lang/Cloneable;Ljava/io/Serializable;";

    @Test
    void aParameterizedUseBindsTheClassVariables() {
        G use = GenericSignatures.type("Ljava/util/Map<Ljava/lang/String;Ljava/util/List<Ljava/lang/Integer;>;>;");
        Map<String, G> vars = GenericSignatures.bindings(GenericSignatures.typeParameters(HASH_MAP), (GenericSignatures.Cls) use);
        G get = GenericSignatures.returnType("(Ljava/lang/Object;)TV;");
        G v = GenericSignatures.concrete(GenericSignatures.substitute(get, vars));
        assertEquals("java.util.List", GenericSignatures.name(v));
        assertEquals("java.lang.Integer", GenericSignatures.name(((GenericSignatures.Cls) v).args().get(0)));
        assertEquals(List.of("K", "V"), GenericSignatures.typeParameters(HASH_MAP));
    }

    @Test
    void supertypesAreWrittenInTheClassOwnVariables() {
        List<G> sup = GenericSignatures.supertypes(HASH_MAP);
        assertEquals(4, sup.size());
        assertEquals("java.util.AbstractMap", GenericSignatures.name(sup.get(0)));
        assertEquals(new GenericSignatures.Var("V"), ((GenericSignatures.Cls) sup.get(1)).args().get(1));
        assertEquals(List.of("E"), GenericSignatures.typeParameters(LIST));
    }

    @Test
    void boundsWildcardsArraysAndInnerClasses() {
        // <T::Ljava/lang/Comparable<-TT;>;> has an empty class bound and an interface bound
        assertEquals(List.of("T", "U"), GenericSignatures.typeParameters("<T::Ljava/lang/Comparable<-TT;>;U:TT;>(TT;)TU;"));
        G wild = GenericSignatures.type("Ljava/util/List<+Ljava/lang/Number;>;");
        G elem = ((GenericSignatures.Cls) wild).args().get(0);
        assertEquals("java.lang.Number", GenericSignatures.name(GenericSignatures.concrete(elem)));
        assertNull(GenericSignatures.concrete(GenericSignatures.type("Ljava/util/List<-Ljava/lang/Number;>;") instanceof GenericSignatures.Cls c
                ? c.args().get(0) : null), "? super has no upper bound to offer");
        assertNull(GenericSignatures.concrete(GenericSignatures.returnType("<T:Ljava/lang/Object;>([TT;)[TT;")), "an unbound variable stays unknown");
        assertEquals("java.lang.String[][]", GenericSignatures.name(GenericSignatures.type("[[Ljava/lang/String;")));
        assertEquals("int", GenericSignatures.name(GenericSignatures.returnType("()I")));
        G inner = GenericSignatures.type("Ljava/util/Map<TK;TV;>.Entry<Ljava/lang/String;Ljava/lang/Long;>;");
        assertEquals("java.util.Map$Entry", GenericSignatures.name(inner));
        assertEquals(2, ((GenericSignatures.Cls) inner).args().size());
    }
}
