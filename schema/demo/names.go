package demo

// Word lists the generator draws names from.
var (
	facultyNames = []string{"Science", "Engineering", "Humanities"}
	subjects     = []string{
		"Mathematics", "Physics", "Computer Science", "Chemistry",
		"Mechanics", "Electronics", "History", "Linguistics",
	}
	// subjectFaculties is the faculty (an index into facultyNames) of each subject.
	subjectFaculties = []int{0, 0, 1, 0, 1, 1, 2, 2}
	codes            = []string{"MAT", "PHY", "CSC", "CHE", "MEC", "ELE", "HIS", "LIN"}
	topicWords       = []string{
		"basics", "proofs", "recursion", "graphs", "limits", "vectors",
		"waves", "circuits", "bonds", "sources", "syntax", "models", "statistics", "algorithms",
	}
	firstNames = []string{
		"Anna", "Boris", "Daria", "Egor", "Irina", "Kirill", "Maria", "Nikita",
		"Olga", "Pavel", "Sofia", "Timur", "Vera", "Yuri", "Zoya", "Artem",
	}
	lastNames = []string{
		"Ivanova", "Petrov", "Smirnova", "Kuznetsov", "Popova", "Volkov",
		"Sokolova", "Lebedev", "Kozlova", "Novikov", "Morozova", "Orlov",
	}
)
