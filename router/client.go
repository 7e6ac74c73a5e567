package router

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies is the set of addresses whose X-Forwarded-For the router believes.
type proxies []netip.Prefix

// parseProxies reads ERGO_TRUSTED_PROXIES entries: IP addresses or CIDR prefixes. It returns
// the first entry that is neither.
func parseProxies(entries []string) (proxies, string) {
	out := make(proxies, 0, len(entries))
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, e
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, ""
}

func (ps proxies) contain(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr returns the IP address of the client r is from: the connection's peer, or, when
// the peer is a trusted proxy, the nearest address in X-Forwarded-For that is not one. Without
// trusted proxies X-Forwarded-For is ignored, since any client can send it. It returns "" when
// the peer address cannot be read.
func (ps proxies) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	peer = peer.Unmap()
	if !ps.contain(peer) {
		return peer.String()
	}
	return ps.forwardedFor(peer, r.Header.Values("X-Forwarded-For"))
}

// forwardedFor walks X-Forwarded-For from the right (the hop nearest the router) past trusted
// proxies. An entry that is not an IP address ends the walk: what is left of it was written
// by someone the router cannot vouch for, so the last trusted hop counts as the client.
func (ps proxies) forwardedFor(peer netip.Addr, values []string) string {
	hops := strings.Split(strings.Join(values, ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
		if !ps.contain(client) {
			break
		}
	}
	return client.String()
}
