package router

import (
	"container/list"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// Bounds of the parsed-document cache: clients send the same few operations again and again,
// and longer documents are rare enough to parse each time.
const (
	docCacheEntries  = 256
	docCacheMaxQuery = 8 << 10
)

// docCache keeps the most recently used parsed documents by query text. A document is never
// changed after parsing, so requests share it. Safe for concurrent use.
type docCache struct {
	mu    sync.Mutex
	order *list.List // of *docEntry, most recently used first
	items map[string]*list.Element
}

type docEntry struct {
	query string
	doc   *ast.QueryDocument
}

func newDocCache() *docCache {
	return &docCache{order: list.New(), items: map[string]*list.Element{}}
}

func (c *docCache) get(query string) (*ast.QueryDocument, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[query]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*docEntry).doc, true
}

// put remembers doc for query, dropping the least recently used entry when full. Long
// queries are not kept.
func (c *docCache) put(query string, doc *ast.QueryDocument) {
	if len(query) > docCacheMaxQuery {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[query]; ok {
		return
	}
	c.items[query] = c.order.PushFront(&docEntry{query: query, doc: doc})
	if c.order.Len() > docCacheEntries {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*docEntry).query)
	}
}

// operation parses p's query, or takes it from the cache, and selects the operation to run.
func (rt *Router) operation(p *params) (*ast.QueryDocument, *ast.OperationDefinition,
	*requestError,
) {
	doc, ok := rt.docs.get(p.Query)
	if !ok {
		var rerr *requestError
		if doc, rerr = parseDocument(p.Query); rerr != nil {
			return nil, nil, rerr
		}
		rt.docs.put(p.Query, doc)
	}
	op, rerr := selectOperation(doc, p.OperationName)
	return doc, op, rerr
}
