package dev.tokenauthority.core.agora;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * An immutable privilege map (u16 key → u32 lifetime, ascending keys) on two small arrays. It
 * replaces an unmodifiable TreeMap on the token hot path: a handful of entries cost two arrays
 * instead of a node and a boxed Long each, and {@link LittleEndianWriter#map} packs it without
 * boxing. Behaves as any {@link SortedMap} (equals/hashCode/toString as {@link AbstractMap}).
 */
public final class PrivilegeMap extends AbstractMap<Integer, Long> implements SortedMap<Integer, Long> {
  private final int[] keys;
  private final long[] values;

  private PrivilegeMap(int[] keys, long[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** A copy of {@code map} (keys ascending, no nulls); the caller has range-checked it. */
  public static PrivilegeMap copyOf(Map<Integer, Long> map) {
    if (map instanceof PrivilegeMap p) {
      return p;
    }
    int n = map.size();
    int[] keys = new int[n];
    long[] values = new long[n];
    int i = 0;
    for (Map.Entry<Integer, Long> e : map.entrySet()) {
      keys[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return sorted(keys, values, n);
  }

  /**
   * Takes ownership of {@code keys[0, n)} and {@code values[0, n)} (any order, distinct keys) and
   * sorts them; for builders that fill arrays without boxing.
   */
  public static PrivilegeMap of(int[] keys, long[] values, int n) {
    return sorted(keys, values, n);
  }

  private static PrivilegeMap sorted(int[] keys, long[] values, int n) {
    if (n != keys.length) {
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
    }
    for (int i = 1; i < n; i++) { // a few entries: insertion sort
      int k = keys[i];
      long v = values[i];
      int j = i - 1;
      for (; j >= 0 && keys[j] > k; j--) {
        keys[j + 1] = keys[j];
        values[j + 1] = values[j];
      }
      if (j >= 0 && keys[j] == k) {
        throw new IllegalArgumentException("duplicate privilege key " + k);
      }
      keys[j + 1] = k;
      values[j + 1] = v;
    }
    return new PrivilegeMap(keys, values);
  }

  /** Entry count, then the key and value at an index, ascending by key: iteration without boxing. */
  public int count() {
    return keys.length;
  }

  public int keyAt(int index) {
    return keys[index];
  }

  public long valueAt(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return keys.length;
  }

  private int indexOf(Object key) {
    return key instanceof Integer k ? Arrays.binarySearch(keys, k) : -1;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Long get(Object key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  @Override
  public Set<Map.Entry<Integer, Long>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<Integer, Long>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<Integer, Long> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }

  @Override
  public Comparator<? super Integer> comparator() {
    return null;
  }

  @Override
  public SortedMap<Integer, Long> subMap(Integer fromKey, Integer toKey) {
    if (fromKey > toKey) {
      throw new IllegalArgumentException("fromKey > toKey");
    }
    return range(fromKey, toKey);
  }

  @Override
  public SortedMap<Integer, Long> headMap(Integer toKey) {
    return range(Integer.MIN_VALUE, toKey);
  }

  @Override
  public SortedMap<Integer, Long> tailMap(Integer fromKey) {
    int from = lowerBound(fromKey);
    return new PrivilegeMap(Arrays.copyOfRange(keys, from, keys.length), Arrays.copyOfRange(values, from, keys.length));
  }

  private SortedMap<Integer, Long> range(int fromInclusive, int toExclusive) {
    int from = lowerBound(fromInclusive);
    int to = lowerBound(toExclusive);
    return new PrivilegeMap(Arrays.copyOfRange(keys, from, to), Arrays.copyOfRange(values, from, to));
  }

  private int lowerBound(int key) {
    int i = 0;
    while (i < keys.length && keys[i] < key) {
      i++;
    }
    return i;
  }

  @Override
  public Integer firstKey() {
    if (keys.length == 0) {
      throw new NoSuchElementException();
    }
    return keys[0];
  }

  @Override
  public Integer lastKey() {
    if (keys.length == 0) {
      throw new NoSuchElementException();
    }
    return keys[keys.length - 1];
  }
}
