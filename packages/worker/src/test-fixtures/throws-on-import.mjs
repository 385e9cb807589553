throw new Error("data set not found: iris.csv");
