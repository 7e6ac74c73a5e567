package lms_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/subgraph"
	bigraph "ergo/subgraphs/bi/graph"
	lmsgraph "ergo/subgraphs/lms/graph"
	gt "ergo/subgraphs/lms/internal/gqltest"
	"ergo/subgraphs/lms/outbox"
)

// The interaction of lms and bi over real HTTP and real PostgreSQL: lms publishes graded
// attempts, its dispatcher delivers them to bi's /events, bi finds the weak topics, and lms
// builds a quiz on them when handed bi's answer the way the router hands it over (@requires).

// biServer is bi's subgraph on a fixed local address, so it can be stopped and started again
// like a restarted process.
type biServer struct {
	t    *testing.T
	h    http.Handler
	addr string
	srv  *httptest.Server
}

func startBI(t *testing.T) *biServer {
	t.Helper()
	pool := gt.Pool(t, bigraph.Module())
	h, err := subgraph.Handler(bigraph.Module(), subgraph.Deps{Pool: pool, Log: logging.Discard()}, gt.Secret)
	if err != nil {
		t.Fatal(err)
	}
	b := &biServer{t: t, h: h, addr: "127.0.0.1:0"}
	b.start()
	t.Cleanup(b.stop)
	return b
}

func (b *biServer) start() {
	b.t.Helper()
	ln, err := net.Listen("tcp", b.addr)
	if err != nil {
		b.t.Fatalf("listen for bi: %v", err)
	}
	b.addr = ln.Addr().String()
	b.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: b.h}}
	b.srv.Start()
}

func (b *biServer) stop() {
	if b.srv != nil {
		b.srv.Close()
		b.srv = nil
	}
}

func (b *biServer) client() gt.Client { return gt.Client{URL: "http://" + b.addr, Secret: gt.Secret} }

// fakeClock lets the test move past the dispatcher's backoff without waiting.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time                       { return c.now }
func (c *fakeClock) After(time.Duration) <-chan time.Time { return nil }

type world struct {
	pool   *pgxpool.Pool
	lms    gt.Client
	bi     *biServer
	course gt.Course
	disp   *outbox.Dispatcher
	clock  *fakeClock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv, pool := gt.Start(t, lmsgraph.Module(gt.Subscribers))
	w := &world{
		pool: pool, lms: gt.Client{URL: srv.URL, Secret: gt.Secret}, bi: startBI(t),
		clock: &fakeClock{now: time.Now().Add(time.Hour)},
	} // later than every submission
	w.course = gt.NewCourse(t, w.lms, "CS101", []string{"graphs", "recursion", "sorting"}, 5)
	w.disp = outbox.New(pool, map[string]string{"bi": "http://" + w.bi.addr}, gt.Secret, logging.Discard())
	w.disp.Clock = w.clock
	return w
}

// attempt submits one attempt of the whole quiz: right on graphs, wrong on recursion, and
// on sorting right up to difficulty 2.
func (w *world) attempt(t *testing.T) {
	t.Helper()
	answers := map[string]int{}
	for d := 1; d <= 5; d++ {
		answers[w.course.Questions["graphs/"+string(rune('0'+d))]] = 1
		answers[w.course.Questions["recursion/"+string(rune('0'+d))]] = 0
		answers[w.course.Questions["sorting/"+string(rune('0'+d))]] = map[bool]int{true: 1, false: 2}[d <= 2]
	}
	gt.Submit(t, w.lms, gt.Student, w.course.StartAttempt(t, w.lms), answers).Decode(t, &struct{}{})
}

func (w *world) dispatch(t *testing.T) int {
	t.Helper()
	n, err := w.disp.Dispatch(context.Background())
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	return n
}

// biAttempts is the number of attempts bi's analytics count for the course.
func (w *world) biAttempts(t *testing.T) int {
	t.Helper()
	var d struct{ CourseAnalytics struct{ Attempts int } }
	w.bi.client().Do(t, gt.Teacher, `query($c: ID!) { courseAnalytics(courseId: $c) { attempts } }`,
		map[string]any{"c": w.course.ID}).Decode(t, &d)
	return d.CourseAnalytics.Attempts
}

func TestQuizFromAnalytics(t *testing.T) {
	w := newWorld(t)
	w.attempt(t)
	w.attempt(t)
	// Two attempts, and the course's teachers from when Teacher created it.
	if n := w.dispatch(t); n != 3 {
		t.Fatalf("dispatched %d events, want 3", n)
	}

	// Step 1, bi: the learner's weak topics, from the events alone.
	var weak struct {
		Entities []struct{ WeakTopics []string } `json:"_entities"`
	}
	w.bi.client().Do(t, gt.Student, `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on Enrollment { weakTopics } } }`, map[string]any{"r": []map[string]any{
		{"__typename": "Enrollment", "id": w.course.EnrollmentID},
	}}).Decode(t, &weak)
	topics := weak.Entities[0].WeakTopics
	if diff := cmp.Diff([]string{"recursion", "sorting"}, topics); diff != "" {
		t.Fatalf("weak topics (-want +got):\n%s", diff)
	}

	// Step 2, lms: the quiz built from them, with the representation the router sends for
	// Enrollment.recommendedQuiz @requires(fields: "weakTopics").
	var quiz struct {
		Entities []struct {
			RecommendedQuiz struct {
				Kind      string
				Questions []struct {
					Topics     []string
					Difficulty int
				}
			}
		} `json:"_entities"`
	}
	w.lms.Do(t, gt.Student, `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on Enrollment { recommendedQuiz(size: 7) { kind questions { topics difficulty } } } } }`,
		map[string]any{"r": []map[string]any{{
			"__typename": "Enrollment",
			"id":         w.course.EnrollmentID, "weakTopics": topics,
		}}}).Decode(t, &quiz)

	q := quiz.Entities[0].RecommendedQuiz
	var got []string
	for _, question := range q.Questions {
		got = append(got, question.Topics[0]+"/"+string(rune('0'+question.Difficulty)))
	}
	// The weak topics take turns, the weakest first, and each turn takes the difficulty the
	// topic and then the quiz hold least of, from the middle out (3 2 4 1 5).
	want := []string{
		"recursion/3", "sorting/2", "recursion/4", "sorting/1", "recursion/5",
		"sorting/3", "recursion/2",
	}
	if diff := cmp.Diff(want, got); diff != "" || q.Kind != "RECOMMENDED" {
		t.Errorf("kind %s; questions (-want +got):\n%s", q.Kind, diff)
	}
}

func TestEventsSurviveBIDowntime(t *testing.T) {
	w := newWorld(t)
	w.attempt(t)
	w.dispatch(t)
	if n := w.biAttempts(t); n != 1 {
		t.Fatalf("bi counts %d attempts, want 1", n)
	}

	// bi goes down; learners keep submitting.
	w.bi.stop()
	w.attempt(t)
	w.attempt(t)
	if n := w.dispatch(t); n != 1 {
		t.Errorf("tried %d deliveries while bi was down, want 1 (the rest wait for the next round)", n)
	}

	// bi comes back on the same address; once the backoff has passed everything arrives.
	w.bi.start()
	w.clock.now = w.clock.now.Add(time.Minute)
	for w.dispatch(t) > 0 {
	}
	if n := w.biAttempts(t); n != 3 {
		t.Errorf("after bi restarted it counts %d attempts, want 3", n)
	}

	// At-least-once means a delivery may come again (say lms died before marking it): bi
	// must count each attempt once.
	if _, err := w.pool.Exec(context.Background(), "UPDATE outbox_deliveries SET delivered_at = NULL"); err != nil {
		t.Fatal(err)
	}
	// Three attempts, and the course's teachers from when Teacher created it.
	if n := w.dispatch(t); n != 4 {
		t.Errorf("redelivered %d events, want 4", n)
	}
	if n := w.biAttempts(t); n != 3 {
		t.Errorf("after redelivery bi counts %d attempts, want 3", n)
	}
}
