// Package demo generates ERGO's demo data deterministically: the same Size gives the same
// units, users, courses, questions, enrollments and attempts, with ids derived from names
// (UUID v5), so each module can load its own part independently and the ids still line up.
//
// The default size is one university, 3 faculties, 8 departments (2 groups each), 40 courses,
// 2,000 students and 50,000 graded attempts.
package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// Namespace is the UUID v5 namespace of every demo id.
var Namespace = uuid.MustParse("0b6f3c4e-8d2a-5f11-9c3b-6a7e2d9f4c10")

// ID returns the demo id of the object of kind named name.
func ID(kind, name string) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte(kind+":"+name))
}

// Size says how much to generate.
type Size struct {
	Faculties, Departments, Students, Attempts int
	// CoursesPerDepartment, TopicsPerCourse and QuestionsPerTopic shape the question banks.
	CoursesPerDepartment, TopicsPerCourse, QuestionsPerTopic int
	// EnrollmentsPerStudent courses of their department each student takes.
	EnrollmentsPerStudent int
	// QuizSize is the number of questions in each demo quiz (two per course).
	QuizSize int
}

// Default is the demo data `ergo run` loads.
var Default = Size{
	Faculties: 3, Departments: 8, Students: 2000, Attempts: 50000,
	CoursesPerDepartment: 5, TopicsPerCourse: 6, QuestionsPerTopic: 5,
	EnrollmentsPerStudent: 4, QuizSize: 10,
}

// Start is the time of the first demo attempt; attempts follow a minute apart.
var Start = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// Unit is an organisation unit; ParentID is nil for the university.
type Unit struct {
	ID       uuid.UUID
	ParentID *uuid.UUID
	Kind     string
	Name     string
}

// User is a demo user. Students are members (role student) of a group.
type User struct {
	ID          uuid.UUID
	Email       string
	DisplayName string
	Roles       []string
	// UnitID and UnitRole are the user's membership.
	UnitID   uuid.UUID
	UnitRole string
	// Ability from 0 to 1 drives the demo answers.
	Ability float64
	// DepartmentIndex is the department whose courses the user takes or teaches.
	DepartmentIndex int
}

// Course is a demo course with its question bank and two quizzes.
type Course struct {
	ID        uuid.UUID
	OrgUnitID uuid.UUID
	Code      string
	Title     string
	// TeacherIDs teach the course: its department's teacher and, for the first course of a
	// department, also the next department's teacher (see Data.teachers).
	TeacherIDs []uuid.UUID
	Topics     []string
	Questions  []Question
	Quizzes    []Quiz
}

// Question is a demo question; each has one topic.
type Question struct {
	ID            uuid.UUID
	Text          string
	Topics        []string
	Difficulty    int
	Options       []string
	CorrectOption int
}

// Quiz is a demo quiz: QuizSize questions of its course, by index into Course.Questions.
type Quiz struct {
	ID        uuid.UUID
	Title     string
	Questions []int
}

// Enrollment is a student in a course.
type Enrollment struct {
	ID       uuid.UUID
	CourseID uuid.UUID
	UserID   uuid.UUID
	// Course and Student index Data.Courses and Data.Students.
	Course, Student int
}

// Data is everything but the attempts, which Attempts streams.
type Data struct {
	Size  Size
	Units []Unit
	// Admin is a platform admin and admin of the university unit.
	Admin       User
	Students    []User
	Teachers    []User
	Courses     []Course
	Enrollments []Enrollment
	// groups are the group units by department.
	groups [][]uuid.UUID
}

// Generate builds the data of size s.
func Generate(s Size) *Data {
	d := &Data{Size: s}
	rng := rand.New(rand.NewPCG(1, 2))
	d.units()
	d.people(rng)
	d.courses(rng)
	d.enroll()
	return d
}

func (d *Data) units() {
	uni := Unit{ID: ID("unit", "university"), Kind: "university", Name: "ERGO University"}
	d.Units = append(d.Units, uni)
	var faculties []uuid.UUID
	for f := range d.Size.Faculties {
		id := ID("unit", fmt.Sprintf("faculty-%d", f))
		d.Units = append(d.Units, Unit{
			ID: id, ParentID: &uni.ID, Kind: "faculty",
			Name: fmt.Sprintf("Faculty of %s", facultyNames[f%len(facultyNames)]),
		})
		faculties = append(faculties, id)
	}
	for dep := range d.Size.Departments {
		// A department belongs to its subject's faculty, or to the last faculty when fewer
		// were asked for.
		parent := faculties[min(subjectFaculties[dep%len(subjects)], len(faculties)-1)]
		id := ID("unit", fmt.Sprintf("department-%d", dep))
		d.Units = append(d.Units, Unit{
			ID: id, ParentID: &parent, Kind: "department",
			Name: fmt.Sprintf("Department of %s", subjects[dep%len(subjects)]),
		})
		var groups []uuid.UUID
		for g := range 2 {
			gid := ID("unit", fmt.Sprintf("department-%d/group-%d", dep, g))
			d.Units = append(d.Units, Unit{
				ID: gid, ParentID: &id, Kind: "group",
				Name: fmt.Sprintf("%s group %d", subjects[dep%len(subjects)], g+1),
			})
			groups = append(groups, gid)
		}
		d.groups = append(d.groups, groups)
	}
}

func (d *Data) people(rng *rand.Rand) {
	d.Admin = User{
		ID: ID("user", "admin"), Email: "admin@demo.ergo.test",
		DisplayName: "Demo Administrator", Roles: []string{"admin"},
		UnitID: ID("unit", "university"), UnitRole: "admin",
	}
	for dep := range d.Size.Departments {
		name := fmt.Sprintf("teacher%02d", dep+1)
		d.Teachers = append(d.Teachers, User{
			ID: ID("user", name), Email: name + "@demo.ergo.test",
			DisplayName: fmt.Sprintf("Teacher %s", lastNames[dep%len(lastNames)]),
			Roles:       []string{"teacher"}, UnitID: ID("unit", fmt.Sprintf("department-%d", dep)),
			UnitRole: "teacher", DepartmentIndex: dep,
		})
	}
	for i := range d.Size.Students {
		name := fmt.Sprintf("student%04d", i+1)
		dep := i % d.Size.Departments
		d.Students = append(d.Students, User{
			ID: ID("user", name), Email: name + "@demo.ergo.test",
			DisplayName: firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))],
			Roles:       []string{}, UnitID: d.groups[dep][(i/d.Size.Departments)%2], UnitRole: "student",
			Ability: 0.25 + 0.7*rng.Float64(), DepartmentIndex: dep,
		})
	}
}

func (d *Data) courses(rng *rand.Rand) {
	for dep := range d.Size.Departments {
		for c := range d.Size.CoursesPerDepartment {
			n := len(d.Courses)
			code := fmt.Sprintf("%s%d%02d", codes[dep%len(codes)], c+1, dep)
			course := Course{
				ID: ID("course", code), Code: code,
				OrgUnitID:  ID("unit", fmt.Sprintf("department-%d", dep)),
				Title:      fmt.Sprintf("%s %d", subjects[dep%len(subjects)], c+1),
				TeacherIDs: d.teachers(dep, c),
			}
			for t := range d.Size.TopicsPerCourse {
				course.Topics = append(course.Topics, topicWords[(n+t)%len(topicWords)])
			}
			course.Questions = questions(rng, code, course.Topics, d.Size.QuestionsPerTopic)
			course.Quizzes = quizzes(rng, code, len(course.Questions), d.Size.QuizSize)
			d.Courses = append(d.Courses, course)
		}
	}
}

// teachers returns the teachers of course c of department dep: the department's teacher, and
// for the first course also the next department's, so that some courses have two teachers and
// each teacher also teaches one course of another department (when there are two or more).
func (d *Data) teachers(dep, c int) []uuid.UUID {
	out := []uuid.UUID{d.Teachers[dep].ID}
	if next := (dep + 1) % len(d.Teachers); c == 0 && next != dep {
		out = append(out, d.Teachers[next].ID)
	}
	return out
}

func questions(rng *rand.Rand, code string, topics []string, perTopic int) []Question {
	var out []Question
	for _, topic := range topics {
		for i := range perTopic {
			name := fmt.Sprintf("%s/%s/%d", code, topic, i)
			out = append(out, Question{
				ID:         ID("question", name),
				Text:       fmt.Sprintf("Question %d on %s", i+1, topic),
				Topics:     []string{topic},
				Difficulty: i%5 + 1,
				Options:    []string{"A", "B", "C", "D"}, CorrectOption: rng.IntN(4),
			})
		}
	}
	return out
}

func quizzes(rng *rand.Rand, code string, bankSize, size int) []Quiz {
	var out []Quiz
	for k := range 2 {
		perm := rng.Perm(bankSize)[:min(size, bankSize)]
		out = append(out, Quiz{
			ID:    ID("quiz", fmt.Sprintf("%s/%d", code, k)),
			Title: fmt.Sprintf("%s quiz %d", code, k+1), Questions: perm,
		})
	}
	return out
}

// enroll puts each student in EnrollmentsPerStudent courses of their department.
func (d *Data) enroll() {
	per := d.Size.CoursesPerDepartment
	for si, s := range d.Students {
		for k := range min(d.Size.EnrollmentsPerStudent, per) {
			ci := s.DepartmentIndex*per + (si/d.Size.Departments+k)%per
			c := d.Courses[ci]
			d.Enrollments = append(d.Enrollments, Enrollment{
				ID: ID("enrollment", c.Code+"/"+s.Email), CourseID: c.ID, UserID: s.ID,
				Course: ci, Student: si,
			})
		}
	}
}
