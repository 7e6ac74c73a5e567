package lms

import (
	"context"
	"sync"
)

// loader loads values by key for one request, in batches. Keys announced together with
// prime, typically the ids of the objects of one list, are fetched together by the first
// load of any of them: a field under a list then costs one query for the whole list instead
// of one per element. Each key is fetched at most once; the values are shared, so callers
// must not change them. Batching needs no timer: the batch is known when the parent list is.
type loader[K comparable, V any] struct {
	fetch func(ctx context.Context, keys []K) (map[K]V, error)

	mu    sync.Mutex
	calls map[K]*batchCall[K, V]
}

// batchCall is one fetch of a set of keys, made by whichever load of them comes first.
type batchCall[K comparable, V any] struct {
	keys []K
	once sync.Once
	got  map[K]V
	err  error
}

func newLoader[K comparable, V any](
	fetch func(context.Context, []K) (map[K]V, error),
) *loader[K, V] {
	return &loader[K, V]{fetch: fetch, calls: map[K]*batchCall[K, V]{}}
}

// prime puts the keys not seen yet into one batch.
func (l *loader[K, V]) prime(keys []K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := &batchCall[K, V]{}
	for _, k := range keys {
		if _, seen := l.calls[k]; !seen {
			c.keys = append(c.keys, k)
			l.calls[k] = c
		}
	}
}

// load returns the value of key (the zero value when the fetch found none), fetching the
// key's whole batch if no load of it came first.
func (l *loader[K, V]) load(ctx context.Context, key K) (V, error) {
	l.mu.Lock()
	c, ok := l.calls[key]
	if !ok {
		c = &batchCall[K, V]{keys: []K{key}}
		l.calls[key] = c
	}
	l.mu.Unlock()

	c.once.Do(func() { c.got, c.err = l.fetch(ctx, c.keys) })
	return c.got[key], c.err
}
