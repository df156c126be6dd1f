

#include "objects.h"
#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include<random>
#include<vector>
#include<iostream>
#include<fstream>
#include<map>
#include<tuple>
#include<cstdlib>
#include<string>

namespace brian {

std::string results_dir = "results/";  // can be overwritten by --results_dir command line arg

// For multhreading, we need one generator for each thread. We also create a distribution for
// each thread, even though this is not strictly necessary for the uniform distribution, as
// the distribution is stateless.
std::vector< RandomGenerator > _random_generators;

//////////////// networks /////////////////
Network network;

void set_variable_from_value(std::string varname, char* var_pointer, size_t size, char value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << (value == 1 ? "True" : "False") << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_value(std::string varname, T* var_pointer, size_t size, T value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << value << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_file(std::string varname, T* var_pointer, size_t data_size, std::string filename) {
    ifstream f;
    streampos size;
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' from file '" << filename << "'" << std::endl;
    #endif
    f.open(filename, ios::in | ios::binary | ios::ate);
    size = f.tellg();
    if (size != data_size) {
        std::cerr << "Error reading '" << filename << "': file size " << size << " does not match expected size " << data_size << std::endl;
        return;
    }
    f.seekg(0, ios::beg);
    if (f.is_open())
        f.read(reinterpret_cast<char *>(var_pointer), data_size);
    else
        std::cerr << "Could not read '" << filename << "'" << std::endl;
    if (f.fail())
        std::cerr << "Error reading '" << filename << "'" << std::endl;
}

//////////////// set arrays by name ///////
void set_variable_by_name(std::string name, std::string s_value) {
    size_t var_size;
    size_t data_size;
    // C-style or Python-style capitalization is allowed for boolean values
    if (s_value == "true" || s_value == "True")
        s_value = "1";
    else if (s_value == "false" || s_value == "False")
        s_value = "0";
    // non-dynamic arrays
    if (name == "scrutable_exc._spikespace") {
        var_size = 101;
        data_size = 101*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_scrutable_exc__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.ge") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_ge, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_ge, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.gi") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_gi, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_gi, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.I_steer") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_I_steer, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_I_steer, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.lastspike") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_lastspike, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_lastspike, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.learning") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_learning, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_learning, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.not_refractory") {
        var_size = 100;
        data_size = 100*sizeof(char);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value(name, _array_scrutable_exc_not_refractory, var_size, (char)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_not_refractory, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.oidx") {
        var_size = 100;
        data_size = 100*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_scrutable_exc_oidx, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_oidx, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.override") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_override, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_override, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.theta") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_theta, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_theta, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.v") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_v, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_exc.wsum") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_exc_wsum, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_exc_wsum, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh._spikespace") {
        var_size = 101;
        data_size = 101*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_scrutable_inh__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.ge") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_ge, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_ge, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.gi") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_gi, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_gi, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.I_steer") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_I_steer, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_I_steer, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.lastspike") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_lastspike, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_lastspike, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.not_refractory") {
        var_size = 100;
        data_size = 100*sizeof(char);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value(name, _array_scrutable_inh_not_refractory, var_size, (char)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_not_refractory, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.oidx") {
        var_size = 100;
        data_size = 100*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_scrutable_inh_oidx, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_oidx, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.override") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_override, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_override, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_inh.v") {
        var_size = 100;
        data_size = 100*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_scrutable_inh_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_inh_v, data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_input._spikespace") {
        var_size = 65;
        data_size = 65*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_scrutable_input__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_scrutable_input__spikespace, data_size, s_value);
        }
        return;
    }
    // dynamic arrays (1d)
    if (name == "scrutable_ei.delay") {
        var_size = _dynamic_array_scrutable_ei_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_ei_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_ei_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_ie.delay") {
        var_size = _dynamic_array_scrutable_ie_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_ie_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_ie_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.apost1") {
        var_size = _dynamic_array_scrutable_syn_apost1.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_apost1[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_apost1[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.apost2") {
        var_size = _dynamic_array_scrutable_syn_apost2.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_apost2[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_apost2[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.apre") {
        var_size = _dynamic_array_scrutable_syn_apre.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_apre[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_apre[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.delay") {
        var_size = _dynamic_array_scrutable_syn_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.delay") {
        var_size = _dynamic_array_scrutable_syn_delay_1.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_delay_1[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_delay_1[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.lastupdate") {
        var_size = _dynamic_array_scrutable_syn_lastupdate.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_lastupdate[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_lastupdate[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.post2before") {
        var_size = _dynamic_array_scrutable_syn_post2before.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_post2before[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_post2before[0], data_size, s_value);
        }
        return;
    }
    if (name == "scrutable_syn.w") {
        var_size = _dynamic_array_scrutable_syn_w.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_scrutable_syn_w[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_scrutable_syn_w[0], data_size, s_value);
        }
        return;
    }
    if (name == "_timedarray.values") {
        var_size = 1;
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _timedarray_values, var_size, (double)atof(s_value.c_str()));


        } else {
            // set from file
            set_variable_from_file(name, _timedarray_values, data_size, s_value);
        }
        return;
    }
    std::cerr << "Cannot set unknown variable '" << name << "'." << std::endl;
    exit(1);
}
//////////////// arrays ///////////////////
double * _array_defaultclock_dt;
const int _num__array_defaultclock_dt = 1;
double * _array_defaultclock_t;
const int _num__array_defaultclock_t = 1;
int64_t * _array_defaultclock_timestep;
const int _num__array_defaultclock_timestep = 1;
double * _array_scrutable_ei_clock_dt;
const int _num__array_scrutable_ei_clock_dt = 1;
double * _array_scrutable_ei_clock_t;
const int _num__array_scrutable_ei_clock_t = 1;
int64_t * _array_scrutable_ei_clock_timestep;
const int _num__array_scrutable_ei_clock_timestep = 1;
int32_t * _array_scrutable_ei_N;
const int _num__array_scrutable_ei_N = 1;
int32_t * _array_scrutable_exc__spikespace;
const int _num__array_scrutable_exc__spikespace = 101;
double * _array_scrutable_exc_clock_dt;
const int _num__array_scrutable_exc_clock_dt = 1;
double * _array_scrutable_exc_clock_t;
const int _num__array_scrutable_exc_clock_t = 1;
int64_t * _array_scrutable_exc_clock_timestep;
const int _num__array_scrutable_exc_clock_timestep = 1;
double * _array_scrutable_exc_ge;
const int _num__array_scrutable_exc_ge = 100;
double * _array_scrutable_exc_gi;
const int _num__array_scrutable_exc_gi = 100;
int32_t * _array_scrutable_exc_i;
const int _num__array_scrutable_exc_i = 100;
double * _array_scrutable_exc_I_steer;
const int _num__array_scrutable_exc_I_steer = 100;
double * _array_scrutable_exc_lastspike;
const int _num__array_scrutable_exc_lastspike = 100;
double * _array_scrutable_exc_learning;
const int _num__array_scrutable_exc_learning = 1;
char * _array_scrutable_exc_not_refractory;
const int _num__array_scrutable_exc_not_refractory = 100;
int32_t * _array_scrutable_exc_oidx;
const int _num__array_scrutable_exc_oidx = 100;
double * _array_scrutable_exc_override;
const int _num__array_scrutable_exc_override = 100;
double * _array_scrutable_exc_rest_clock_dt;
const int _num__array_scrutable_exc_rest_clock_dt = 1;
double * _array_scrutable_exc_rest_clock_t;
const int _num__array_scrutable_exc_rest_clock_t = 1;
int64_t * _array_scrutable_exc_rest_clock_timestep;
const int _num__array_scrutable_exc_rest_clock_timestep = 1;
double * _array_scrutable_exc_theta;
const int _num__array_scrutable_exc_theta = 100;
double * _array_scrutable_exc_v;
const int _num__array_scrutable_exc_v = 100;
double * _array_scrutable_exc_wsum;
const int _num__array_scrutable_exc_wsum = 100;
double * _array_scrutable_ie_clock_dt;
const int _num__array_scrutable_ie_clock_dt = 1;
double * _array_scrutable_ie_clock_t;
const int _num__array_scrutable_ie_clock_t = 1;
int64_t * _array_scrutable_ie_clock_timestep;
const int _num__array_scrutable_ie_clock_timestep = 1;
int32_t * _array_scrutable_ie_N;
const int _num__array_scrutable_ie_N = 1;
int32_t * _array_scrutable_inh__spikespace;
const int _num__array_scrutable_inh__spikespace = 101;
double * _array_scrutable_inh_clock_dt;
const int _num__array_scrutable_inh_clock_dt = 1;
double * _array_scrutable_inh_clock_t;
const int _num__array_scrutable_inh_clock_t = 1;
int64_t * _array_scrutable_inh_clock_timestep;
const int _num__array_scrutable_inh_clock_timestep = 1;
double * _array_scrutable_inh_ge;
const int _num__array_scrutable_inh_ge = 100;
double * _array_scrutable_inh_gi;
const int _num__array_scrutable_inh_gi = 100;
int32_t * _array_scrutable_inh_i;
const int _num__array_scrutable_inh_i = 100;
double * _array_scrutable_inh_I_steer;
const int _num__array_scrutable_inh_I_steer = 100;
double * _array_scrutable_inh_lastspike;
const int _num__array_scrutable_inh_lastspike = 100;
char * _array_scrutable_inh_not_refractory;
const int _num__array_scrutable_inh_not_refractory = 100;
int32_t * _array_scrutable_inh_oidx;
const int _num__array_scrutable_inh_oidx = 100;
double * _array_scrutable_inh_override;
const int _num__array_scrutable_inh_override = 100;
double * _array_scrutable_inh_rest_clock_dt;
const int _num__array_scrutable_inh_rest_clock_dt = 1;
double * _array_scrutable_inh_rest_clock_t;
const int _num__array_scrutable_inh_rest_clock_t = 1;
int64_t * _array_scrutable_inh_rest_clock_timestep;
const int _num__array_scrutable_inh_rest_clock_timestep = 1;
double * _array_scrutable_inh_v;
const int _num__array_scrutable_inh_v = 100;
int32_t * _array_scrutable_input__lastindex;
const int _num__array_scrutable_input__lastindex = 1;
int32_t * _array_scrutable_input__period_bins;
const int _num__array_scrutable_input__period_bins = 1;
int32_t * _array_scrutable_input__spikespace;
const int _num__array_scrutable_input__spikespace = 65;
double * _array_scrutable_input_clock_dt;
const int _num__array_scrutable_input_clock_dt = 1;
double * _array_scrutable_input_clock_t;
const int _num__array_scrutable_input_clock_t = 1;
int64_t * _array_scrutable_input_clock_timestep;
const int _num__array_scrutable_input_clock_timestep = 1;
int32_t * _array_scrutable_input_i;
const int _num__array_scrutable_input_i = 64;
double * _array_scrutable_input_period;
const int _num__array_scrutable_input_period = 1;
int32_t * _array_scrutable_mon_e__source_idx;
const int _num__array_scrutable_mon_e__source_idx = 100;
int32_t * _array_scrutable_mon_e_count;
const int _num__array_scrutable_mon_e_count = 100;
int32_t * _array_scrutable_mon_e_N;
const int _num__array_scrutable_mon_e_N = 1;
int32_t * _array_scrutable_mon_i__source_idx;
const int _num__array_scrutable_mon_i__source_idx = 100;
int32_t * _array_scrutable_mon_i_count;
const int _num__array_scrutable_mon_i_count = 100;
int32_t * _array_scrutable_mon_i_N;
const int _num__array_scrutable_mon_i_N = 1;
double * _array_scrutable_normalize_clock_dt;
const int _num__array_scrutable_normalize_clock_dt = 1;
double * _array_scrutable_normalize_clock_t;
const int _num__array_scrutable_normalize_clock_t = 1;
int64_t * _array_scrutable_normalize_clock_timestep;
const int _num__array_scrutable_normalize_clock_timestep = 1;
double * _array_scrutable_syn_clock_dt;
const int _num__array_scrutable_syn_clock_dt = 1;
double * _array_scrutable_syn_clock_t;
const int _num__array_scrutable_syn_clock_t = 1;
int64_t * _array_scrutable_syn_clock_timestep;
const int _num__array_scrutable_syn_clock_timestep = 1;
int32_t * _array_scrutable_syn_N;
const int _num__array_scrutable_syn_N = 1;

//////////////// dynamic arrays 1d /////////
std::vector<int32_t> _dynamic_array_scrutable_ei__synaptic_post;
std::vector<int32_t> _dynamic_array_scrutable_ei__synaptic_pre;
std::vector<double> _dynamic_array_scrutable_ei_delay;
std::vector<int32_t> _dynamic_array_scrutable_ei_N_incoming;
std::vector<int32_t> _dynamic_array_scrutable_ei_N_outgoing;
std::vector<int32_t> _dynamic_array_scrutable_ie__synaptic_post;
std::vector<int32_t> _dynamic_array_scrutable_ie__synaptic_pre;
std::vector<double> _dynamic_array_scrutable_ie_delay;
std::vector<int32_t> _dynamic_array_scrutable_ie_N_incoming;
std::vector<int32_t> _dynamic_array_scrutable_ie_N_outgoing;
std::vector<int32_t> _dynamic_array_scrutable_input__timebins;
std::vector<int32_t> _dynamic_array_scrutable_input_neuron_index;
std::vector<int32_t> _dynamic_array_scrutable_input_spike_number;
std::vector<double> _dynamic_array_scrutable_input_spike_time;
std::vector<int32_t> _dynamic_array_scrutable_mon_e_i;
std::vector<double> _dynamic_array_scrutable_mon_e_t;
std::vector<int32_t> _dynamic_array_scrutable_mon_i_i;
std::vector<double> _dynamic_array_scrutable_mon_i_t;
std::vector<int32_t> _dynamic_array_scrutable_syn__synaptic_post;
std::vector<int32_t> _dynamic_array_scrutable_syn__synaptic_pre;
std::vector<double> _dynamic_array_scrutable_syn_apost1;
std::vector<double> _dynamic_array_scrutable_syn_apost2;
std::vector<double> _dynamic_array_scrutable_syn_apre;
std::vector<double> _dynamic_array_scrutable_syn_delay;
std::vector<double> _dynamic_array_scrutable_syn_delay_1;
std::vector<double> _dynamic_array_scrutable_syn_lastupdate;
std::vector<int32_t> _dynamic_array_scrutable_syn_N_incoming;
std::vector<int32_t> _dynamic_array_scrutable_syn_N_outgoing;
std::vector<double> _dynamic_array_scrutable_syn_post2before;
std::vector<double> _dynamic_array_scrutable_syn_w;

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////
double * _static_array__array_scrutable_exc_theta;
const int _num__static_array__array_scrutable_exc_theta = 100;
int32_t * _static_array__dynamic_array_scrutable_input__timebins;
const int _num__static_array__dynamic_array_scrutable_input__timebins = 34804;
int64_t * _static_array__dynamic_array_scrutable_input_neuron_index;
const int _num__static_array__dynamic_array_scrutable_input_neuron_index = 34804;
int64_t * _static_array__dynamic_array_scrutable_input_spike_number;
const int _num__static_array__dynamic_array_scrutable_input_spike_number = 34804;
double * _static_array__dynamic_array_scrutable_input_spike_time;
const int _num__static_array__dynamic_array_scrutable_input_spike_time = 34804;
double * _static_array__dynamic_array_scrutable_syn_delay;
const int _num__static_array__dynamic_array_scrutable_syn_delay = 6400;
double * _static_array__dynamic_array_scrutable_syn_w;
const int _num__static_array__dynamic_array_scrutable_syn_w = 6400;
double * _timedarray_values;
const int _num__timedarray_values = 1;

//////////////// synapses /////////////////
// scrutable_ei
SynapticPathway scrutable_ei_pre(
    _dynamic_array_scrutable_ei__synaptic_pre,
    0, 100);
// scrutable_ie
SynapticPathway scrutable_ie_pre(
    _dynamic_array_scrutable_ie__synaptic_pre,
    0, 100);
// scrutable_syn
SynapticPathway scrutable_syn_post(
    _dynamic_array_scrutable_syn__synaptic_post,
    0, 100);
SynapticPathway scrutable_syn_pre(
    _dynamic_array_scrutable_syn__synaptic_pre,
    0, 64);

//////////////// clocks ///////////////////
Clock scrutable_ei_clock;  // attributes will be set in run.cpp
Clock scrutable_exc_clock;  // attributes will be set in run.cpp
Clock scrutable_exc_rest_clock;  // attributes will be set in run.cpp
Clock scrutable_ie_clock;  // attributes will be set in run.cpp
Clock scrutable_inh_clock;  // attributes will be set in run.cpp
Clock scrutable_inh_rest_clock;  // attributes will be set in run.cpp
Clock scrutable_input_clock;  // attributes will be set in run.cpp
Clock scrutable_normalize_clock;  // attributes will be set in run.cpp
Clock scrutable_syn_clock;  // attributes will be set in run.cpp

// Profiling information for each code object
}

void _init_arrays()
{
    using namespace brian;

    // Arrays initialized to 0
    _array_defaultclock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_dt[i] = 0;

    _array_defaultclock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_t[i] = 0;

    _array_defaultclock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_timestep[i] = 0;

    _array_scrutable_ei_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ei_clock_dt[i] = 0;

    _array_scrutable_ei_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ei_clock_t[i] = 0;

    _array_scrutable_ei_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ei_clock_timestep[i] = 0;

    _array_scrutable_ei_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ei_N[i] = 0;

    _array_scrutable_exc__spikespace = new int32_t[101];
    
    for(int i=0; i<101; i++) _array_scrutable_exc__spikespace[i] = 0;

    _array_scrutable_exc_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_clock_dt[i] = 0;

    _array_scrutable_exc_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_clock_t[i] = 0;

    _array_scrutable_exc_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_clock_timestep[i] = 0;

    _array_scrutable_exc_ge = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_ge[i] = 0;

    _array_scrutable_exc_gi = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_gi[i] = 0;

    _array_scrutable_exc_i = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_i[i] = 0;

    _array_scrutable_exc_I_steer = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_I_steer[i] = 0;

    _array_scrutable_exc_lastspike = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_lastspike[i] = 0;

    _array_scrutable_exc_learning = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_learning[i] = 0;

    _array_scrutable_exc_not_refractory = new char[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_not_refractory[i] = 0;

    _array_scrutable_exc_oidx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_oidx[i] = 0;

    _array_scrutable_exc_override = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_override[i] = 0;

    _array_scrutable_exc_rest_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_rest_clock_dt[i] = 0;

    _array_scrutable_exc_rest_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_rest_clock_t[i] = 0;

    _array_scrutable_exc_rest_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_exc_rest_clock_timestep[i] = 0;

    _array_scrutable_exc_theta = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_theta[i] = 0;

    _array_scrutable_exc_v = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_v[i] = 0;

    _array_scrutable_exc_wsum = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_wsum[i] = 0;

    _array_scrutable_ie_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ie_clock_dt[i] = 0;

    _array_scrutable_ie_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ie_clock_t[i] = 0;

    _array_scrutable_ie_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ie_clock_timestep[i] = 0;

    _array_scrutable_ie_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_ie_N[i] = 0;

    _array_scrutable_inh__spikespace = new int32_t[101];
    
    for(int i=0; i<101; i++) _array_scrutable_inh__spikespace[i] = 0;

    _array_scrutable_inh_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_clock_dt[i] = 0;

    _array_scrutable_inh_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_clock_t[i] = 0;

    _array_scrutable_inh_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_clock_timestep[i] = 0;

    _array_scrutable_inh_ge = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_ge[i] = 0;

    _array_scrutable_inh_gi = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_gi[i] = 0;

    _array_scrutable_inh_i = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_i[i] = 0;

    _array_scrutable_inh_I_steer = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_I_steer[i] = 0;

    _array_scrutable_inh_lastspike = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_lastspike[i] = 0;

    _array_scrutable_inh_not_refractory = new char[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_not_refractory[i] = 0;

    _array_scrutable_inh_oidx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_oidx[i] = 0;

    _array_scrutable_inh_override = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_override[i] = 0;

    _array_scrutable_inh_rest_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_rest_clock_dt[i] = 0;

    _array_scrutable_inh_rest_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_rest_clock_t[i] = 0;

    _array_scrutable_inh_rest_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_inh_rest_clock_timestep[i] = 0;

    _array_scrutable_inh_v = new double[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_v[i] = 0;

    _array_scrutable_input__lastindex = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input__lastindex[i] = 0;

    _array_scrutable_input__period_bins = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input__period_bins[i] = 0;

    _array_scrutable_input__spikespace = new int32_t[65];
    
    for(int i=0; i<65; i++) _array_scrutable_input__spikespace[i] = 0;

    _array_scrutable_input_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input_clock_dt[i] = 0;

    _array_scrutable_input_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input_clock_t[i] = 0;

    _array_scrutable_input_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input_clock_timestep[i] = 0;

    _array_scrutable_input_i = new int32_t[64];
    
    for(int i=0; i<64; i++) _array_scrutable_input_i[i] = 0;

    _array_scrutable_input_period = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_input_period[i] = 0;

    _array_scrutable_mon_e__source_idx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_e__source_idx[i] = 0;

    _array_scrutable_mon_e_count = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_e_count[i] = 0;

    _array_scrutable_mon_e_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_mon_e_N[i] = 0;

    _array_scrutable_mon_i__source_idx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_i__source_idx[i] = 0;

    _array_scrutable_mon_i_count = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_i_count[i] = 0;

    _array_scrutable_mon_i_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_mon_i_N[i] = 0;

    _array_scrutable_normalize_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_normalize_clock_dt[i] = 0;

    _array_scrutable_normalize_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_normalize_clock_t[i] = 0;

    _array_scrutable_normalize_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_normalize_clock_timestep[i] = 0;

    _array_scrutable_syn_clock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_syn_clock_dt[i] = 0;

    _array_scrutable_syn_clock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_scrutable_syn_clock_t[i] = 0;

    _array_scrutable_syn_clock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_syn_clock_timestep[i] = 0;

    _array_scrutable_syn_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_scrutable_syn_N[i] = 0;


    // Arrays initialized to an "arange"
    _array_scrutable_exc_i = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_exc_i[i] = 0 + i;

    _array_scrutable_inh_i = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_inh_i[i] = 0 + i;

    _array_scrutable_input_i = new int32_t[64];
    
    for(int i=0; i<64; i++) _array_scrutable_input_i[i] = 0 + i;

    _array_scrutable_mon_e__source_idx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_e__source_idx[i] = 0 + i;

    _array_scrutable_mon_i__source_idx = new int32_t[100];
    
    for(int i=0; i<100; i++) _array_scrutable_mon_i__source_idx[i] = 0 + i;


    // static arrays
    _static_array__array_scrutable_exc_theta = new double[100];
    _static_array__dynamic_array_scrutable_input__timebins = new int32_t[34804];
    _static_array__dynamic_array_scrutable_input_neuron_index = new int64_t[34804];
    _static_array__dynamic_array_scrutable_input_spike_number = new int64_t[34804];
    _static_array__dynamic_array_scrutable_input_spike_time = new double[34804];
    _static_array__dynamic_array_scrutable_syn_delay = new double[6400];
    _static_array__dynamic_array_scrutable_syn_w = new double[6400];
    _timedarray_values = new double[1];

    // Random number generator states
    std::random_device rd;
    for (int i=0; i<1; i++)
        _random_generators.push_back(RandomGenerator());
}

void _load_arrays()
{
    using namespace brian;

    ifstream f_static_array__array_scrutable_exc_theta;
    f_static_array__array_scrutable_exc_theta.open("static_arrays/_static_array__array_scrutable_exc_theta", ios::in | ios::binary);
    if(f_static_array__array_scrutable_exc_theta.is_open())
    {
        f_static_array__array_scrutable_exc_theta.read(reinterpret_cast<char*>(_static_array__array_scrutable_exc_theta), 100*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_scrutable_exc_theta." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_input__timebins;
    f_static_array__dynamic_array_scrutable_input__timebins.open("static_arrays/_static_array__dynamic_array_scrutable_input__timebins", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_input__timebins.is_open())
    {
        f_static_array__dynamic_array_scrutable_input__timebins.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_input__timebins), 34804*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_input__timebins." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_input_neuron_index;
    f_static_array__dynamic_array_scrutable_input_neuron_index.open("static_arrays/_static_array__dynamic_array_scrutable_input_neuron_index", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_input_neuron_index.is_open())
    {
        f_static_array__dynamic_array_scrutable_input_neuron_index.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_input_neuron_index), 34804*sizeof(int64_t));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_input_neuron_index." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_input_spike_number;
    f_static_array__dynamic_array_scrutable_input_spike_number.open("static_arrays/_static_array__dynamic_array_scrutable_input_spike_number", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_input_spike_number.is_open())
    {
        f_static_array__dynamic_array_scrutable_input_spike_number.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_input_spike_number), 34804*sizeof(int64_t));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_input_spike_number." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_input_spike_time;
    f_static_array__dynamic_array_scrutable_input_spike_time.open("static_arrays/_static_array__dynamic_array_scrutable_input_spike_time", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_input_spike_time.is_open())
    {
        f_static_array__dynamic_array_scrutable_input_spike_time.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_input_spike_time), 34804*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_input_spike_time." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_syn_delay;
    f_static_array__dynamic_array_scrutable_syn_delay.open("static_arrays/_static_array__dynamic_array_scrutable_syn_delay", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_syn_delay.is_open())
    {
        f_static_array__dynamic_array_scrutable_syn_delay.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_syn_delay), 6400*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_syn_delay." << endl;
    }
    ifstream f_static_array__dynamic_array_scrutable_syn_w;
    f_static_array__dynamic_array_scrutable_syn_w.open("static_arrays/_static_array__dynamic_array_scrutable_syn_w", ios::in | ios::binary);
    if(f_static_array__dynamic_array_scrutable_syn_w.is_open())
    {
        f_static_array__dynamic_array_scrutable_syn_w.read(reinterpret_cast<char*>(_static_array__dynamic_array_scrutable_syn_w), 6400*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_scrutable_syn_w." << endl;
    }
    ifstream f_timedarray_values;
    f_timedarray_values.open("static_arrays/_timedarray_values", ios::in | ios::binary);
    if(f_timedarray_values.is_open())
    {
        f_timedarray_values.read(reinterpret_cast<char*>(_timedarray_values), 1*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _timedarray_values." << endl;
    }
}

void _write_arrays()
{
    using namespace brian;

    ofstream outfile__array_defaultclock_dt;
    outfile__array_defaultclock_dt.open(results_dir + "_array_defaultclock_dt_1978099143", ios::binary | ios::out);
    if(outfile__array_defaultclock_dt.is_open())
    {
        outfile__array_defaultclock_dt.write(reinterpret_cast<char*>(_array_defaultclock_dt), 1*sizeof(_array_defaultclock_dt[0]));
        outfile__array_defaultclock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_dt." << endl;
    }
    ofstream outfile__array_defaultclock_t;
    outfile__array_defaultclock_t.open(results_dir + "_array_defaultclock_t_2669362164", ios::binary | ios::out);
    if(outfile__array_defaultclock_t.is_open())
    {
        outfile__array_defaultclock_t.write(reinterpret_cast<char*>(_array_defaultclock_t), 1*sizeof(_array_defaultclock_t[0]));
        outfile__array_defaultclock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_t." << endl;
    }
    ofstream outfile__array_defaultclock_timestep;
    outfile__array_defaultclock_timestep.open(results_dir + "_array_defaultclock_timestep_144223508", ios::binary | ios::out);
    if(outfile__array_defaultclock_timestep.is_open())
    {
        outfile__array_defaultclock_timestep.write(reinterpret_cast<char*>(_array_defaultclock_timestep), 1*sizeof(_array_defaultclock_timestep[0]));
        outfile__array_defaultclock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_ei_clock_dt;
    outfile__array_scrutable_ei_clock_dt.open(results_dir + "_array_scrutable_ei_clock_dt_3918014807", ios::binary | ios::out);
    if(outfile__array_scrutable_ei_clock_dt.is_open())
    {
        outfile__array_scrutable_ei_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_ei_clock_dt), 1*sizeof(_array_scrutable_ei_clock_dt[0]));
        outfile__array_scrutable_ei_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ei_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_ei_clock_t;
    outfile__array_scrutable_ei_clock_t.open(results_dir + "_array_scrutable_ei_clock_t_4182835760", ios::binary | ios::out);
    if(outfile__array_scrutable_ei_clock_t.is_open())
    {
        outfile__array_scrutable_ei_clock_t.write(reinterpret_cast<char*>(_array_scrutable_ei_clock_t), 1*sizeof(_array_scrutable_ei_clock_t[0]));
        outfile__array_scrutable_ei_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ei_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_ei_clock_timestep;
    outfile__array_scrutable_ei_clock_timestep.open(results_dir + "_array_scrutable_ei_clock_timestep_531736798", ios::binary | ios::out);
    if(outfile__array_scrutable_ei_clock_timestep.is_open())
    {
        outfile__array_scrutable_ei_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_ei_clock_timestep), 1*sizeof(_array_scrutable_ei_clock_timestep[0]));
        outfile__array_scrutable_ei_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ei_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_ei_N;
    outfile__array_scrutable_ei_N.open(results_dir + "_array_scrutable_ei_N_426535981", ios::binary | ios::out);
    if(outfile__array_scrutable_ei_N.is_open())
    {
        outfile__array_scrutable_ei_N.write(reinterpret_cast<char*>(_array_scrutable_ei_N), 1*sizeof(_array_scrutable_ei_N[0]));
        outfile__array_scrutable_ei_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ei_N." << endl;
    }
    ofstream outfile__array_scrutable_exc__spikespace;
    outfile__array_scrutable_exc__spikespace.open(results_dir + "_array_scrutable_exc__spikespace_852703426", ios::binary | ios::out);
    if(outfile__array_scrutable_exc__spikespace.is_open())
    {
        outfile__array_scrutable_exc__spikespace.write(reinterpret_cast<char*>(_array_scrutable_exc__spikespace), 101*sizeof(_array_scrutable_exc__spikespace[0]));
        outfile__array_scrutable_exc__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc__spikespace." << endl;
    }
    ofstream outfile__array_scrutable_exc_clock_dt;
    outfile__array_scrutable_exc_clock_dt.open(results_dir + "_array_scrutable_exc_clock_dt_401713392", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_clock_dt.is_open())
    {
        outfile__array_scrutable_exc_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_exc_clock_dt), 1*sizeof(_array_scrutable_exc_clock_dt[0]));
        outfile__array_scrutable_exc_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_exc_clock_t;
    outfile__array_scrutable_exc_clock_t.open(results_dir + "_array_scrutable_exc_clock_t_1422644136", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_clock_t.is_open())
    {
        outfile__array_scrutable_exc_clock_t.write(reinterpret_cast<char*>(_array_scrutable_exc_clock_t), 1*sizeof(_array_scrutable_exc_clock_t[0]));
        outfile__array_scrutable_exc_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_exc_clock_timestep;
    outfile__array_scrutable_exc_clock_timestep.open(results_dir + "_array_scrutable_exc_clock_timestep_1044619622", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_clock_timestep.is_open())
    {
        outfile__array_scrutable_exc_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_exc_clock_timestep), 1*sizeof(_array_scrutable_exc_clock_timestep[0]));
        outfile__array_scrutable_exc_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_exc_ge;
    outfile__array_scrutable_exc_ge.open(results_dir + "_array_scrutable_exc_ge_3356107988", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_ge.is_open())
    {
        outfile__array_scrutable_exc_ge.write(reinterpret_cast<char*>(_array_scrutable_exc_ge), 100*sizeof(_array_scrutable_exc_ge[0]));
        outfile__array_scrutable_exc_ge.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_ge." << endl;
    }
    ofstream outfile__array_scrutable_exc_gi;
    outfile__array_scrutable_exc_gi.open(results_dir + "_array_scrutable_exc_gi_3250350335", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_gi.is_open())
    {
        outfile__array_scrutable_exc_gi.write(reinterpret_cast<char*>(_array_scrutable_exc_gi), 100*sizeof(_array_scrutable_exc_gi[0]));
        outfile__array_scrutable_exc_gi.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_gi." << endl;
    }
    ofstream outfile__array_scrutable_exc_i;
    outfile__array_scrutable_exc_i.open(results_dir + "_array_scrutable_exc_i_900139382", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_i.is_open())
    {
        outfile__array_scrutable_exc_i.write(reinterpret_cast<char*>(_array_scrutable_exc_i), 100*sizeof(_array_scrutable_exc_i[0]));
        outfile__array_scrutable_exc_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_i." << endl;
    }
    ofstream outfile__array_scrutable_exc_I_steer;
    outfile__array_scrutable_exc_I_steer.open(results_dir + "_array_scrutable_exc_I_steer_325223322", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_I_steer.is_open())
    {
        outfile__array_scrutable_exc_I_steer.write(reinterpret_cast<char*>(_array_scrutable_exc_I_steer), 100*sizeof(_array_scrutable_exc_I_steer[0]));
        outfile__array_scrutable_exc_I_steer.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_I_steer." << endl;
    }
    ofstream outfile__array_scrutable_exc_lastspike;
    outfile__array_scrutable_exc_lastspike.open(results_dir + "_array_scrutable_exc_lastspike_3307379089", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_lastspike.is_open())
    {
        outfile__array_scrutable_exc_lastspike.write(reinterpret_cast<char*>(_array_scrutable_exc_lastspike), 100*sizeof(_array_scrutable_exc_lastspike[0]));
        outfile__array_scrutable_exc_lastspike.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_lastspike." << endl;
    }
    ofstream outfile__array_scrutable_exc_learning;
    outfile__array_scrutable_exc_learning.open(results_dir + "_array_scrutable_exc_learning_1437261961", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_learning.is_open())
    {
        outfile__array_scrutable_exc_learning.write(reinterpret_cast<char*>(_array_scrutable_exc_learning), 1*sizeof(_array_scrutable_exc_learning[0]));
        outfile__array_scrutable_exc_learning.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_learning." << endl;
    }
    ofstream outfile__array_scrutable_exc_not_refractory;
    outfile__array_scrutable_exc_not_refractory.open(results_dir + "_array_scrutable_exc_not_refractory_1494437399", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_not_refractory.is_open())
    {
        outfile__array_scrutable_exc_not_refractory.write(reinterpret_cast<char*>(_array_scrutable_exc_not_refractory), 100*sizeof(_array_scrutable_exc_not_refractory[0]));
        outfile__array_scrutable_exc_not_refractory.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_not_refractory." << endl;
    }
    ofstream outfile__array_scrutable_exc_oidx;
    outfile__array_scrutable_exc_oidx.open(results_dir + "_array_scrutable_exc_oidx_191871001", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_oidx.is_open())
    {
        outfile__array_scrutable_exc_oidx.write(reinterpret_cast<char*>(_array_scrutable_exc_oidx), 100*sizeof(_array_scrutable_exc_oidx[0]));
        outfile__array_scrutable_exc_oidx.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_oidx." << endl;
    }
    ofstream outfile__array_scrutable_exc_override;
    outfile__array_scrutable_exc_override.open(results_dir + "_array_scrutable_exc_override_413942446", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_override.is_open())
    {
        outfile__array_scrutable_exc_override.write(reinterpret_cast<char*>(_array_scrutable_exc_override), 100*sizeof(_array_scrutable_exc_override[0]));
        outfile__array_scrutable_exc_override.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_override." << endl;
    }
    ofstream outfile__array_scrutable_exc_rest_clock_dt;
    outfile__array_scrutable_exc_rest_clock_dt.open(results_dir + "_array_scrutable_exc_rest_clock_dt_3657950927", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_rest_clock_dt.is_open())
    {
        outfile__array_scrutable_exc_rest_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_exc_rest_clock_dt), 1*sizeof(_array_scrutable_exc_rest_clock_dt[0]));
        outfile__array_scrutable_exc_rest_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_rest_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_exc_rest_clock_t;
    outfile__array_scrutable_exc_rest_clock_t.open(results_dir + "_array_scrutable_exc_rest_clock_t_1971552093", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_rest_clock_t.is_open())
    {
        outfile__array_scrutable_exc_rest_clock_t.write(reinterpret_cast<char*>(_array_scrutable_exc_rest_clock_t), 1*sizeof(_array_scrutable_exc_rest_clock_t[0]));
        outfile__array_scrutable_exc_rest_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_rest_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_exc_rest_clock_timestep;
    outfile__array_scrutable_exc_rest_clock_timestep.open(results_dir + "_array_scrutable_exc_rest_clock_timestep_383172190", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_rest_clock_timestep.is_open())
    {
        outfile__array_scrutable_exc_rest_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_exc_rest_clock_timestep), 1*sizeof(_array_scrutable_exc_rest_clock_timestep[0]));
        outfile__array_scrutable_exc_rest_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_rest_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_exc_theta;
    outfile__array_scrutable_exc_theta.open(results_dir + "_array_scrutable_exc_theta_2385288694", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_theta.is_open())
    {
        outfile__array_scrutable_exc_theta.write(reinterpret_cast<char*>(_array_scrutable_exc_theta), 100*sizeof(_array_scrutable_exc_theta[0]));
        outfile__array_scrutable_exc_theta.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_theta." << endl;
    }
    ofstream outfile__array_scrutable_exc_v;
    outfile__array_scrutable_exc_v.open(results_dir + "_array_scrutable_exc_v_3098477699", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_v.is_open())
    {
        outfile__array_scrutable_exc_v.write(reinterpret_cast<char*>(_array_scrutable_exc_v), 100*sizeof(_array_scrutable_exc_v[0]));
        outfile__array_scrutable_exc_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_v." << endl;
    }
    ofstream outfile__array_scrutable_exc_wsum;
    outfile__array_scrutable_exc_wsum.open(results_dir + "_array_scrutable_exc_wsum_2977375796", ios::binary | ios::out);
    if(outfile__array_scrutable_exc_wsum.is_open())
    {
        outfile__array_scrutable_exc_wsum.write(reinterpret_cast<char*>(_array_scrutable_exc_wsum), 100*sizeof(_array_scrutable_exc_wsum[0]));
        outfile__array_scrutable_exc_wsum.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_exc_wsum." << endl;
    }
    ofstream outfile__array_scrutable_ie_clock_dt;
    outfile__array_scrutable_ie_clock_dt.open(results_dir + "_array_scrutable_ie_clock_dt_4188953374", ios::binary | ios::out);
    if(outfile__array_scrutable_ie_clock_dt.is_open())
    {
        outfile__array_scrutable_ie_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_ie_clock_dt), 1*sizeof(_array_scrutable_ie_clock_dt[0]));
        outfile__array_scrutable_ie_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ie_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_ie_clock_t;
    outfile__array_scrutable_ie_clock_t.open(results_dir + "_array_scrutable_ie_clock_t_89723306", ios::binary | ios::out);
    if(outfile__array_scrutable_ie_clock_t.is_open())
    {
        outfile__array_scrutable_ie_clock_t.write(reinterpret_cast<char*>(_array_scrutable_ie_clock_t), 1*sizeof(_array_scrutable_ie_clock_t[0]));
        outfile__array_scrutable_ie_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ie_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_ie_clock_timestep;
    outfile__array_scrutable_ie_clock_timestep.open(results_dir + "_array_scrutable_ie_clock_timestep_764089159", ios::binary | ios::out);
    if(outfile__array_scrutable_ie_clock_timestep.is_open())
    {
        outfile__array_scrutable_ie_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_ie_clock_timestep), 1*sizeof(_array_scrutable_ie_clock_timestep[0]));
        outfile__array_scrutable_ie_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ie_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_ie_N;
    outfile__array_scrutable_ie_N.open(results_dir + "_array_scrutable_ie_N_1520446193", ios::binary | ios::out);
    if(outfile__array_scrutable_ie_N.is_open())
    {
        outfile__array_scrutable_ie_N.write(reinterpret_cast<char*>(_array_scrutable_ie_N), 1*sizeof(_array_scrutable_ie_N[0]));
        outfile__array_scrutable_ie_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_ie_N." << endl;
    }
    ofstream outfile__array_scrutable_inh__spikespace;
    outfile__array_scrutable_inh__spikespace.open(results_dir + "_array_scrutable_inh__spikespace_245324127", ios::binary | ios::out);
    if(outfile__array_scrutable_inh__spikespace.is_open())
    {
        outfile__array_scrutable_inh__spikespace.write(reinterpret_cast<char*>(_array_scrutable_inh__spikespace), 101*sizeof(_array_scrutable_inh__spikespace[0]));
        outfile__array_scrutable_inh__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh__spikespace." << endl;
    }
    ofstream outfile__array_scrutable_inh_clock_dt;
    outfile__array_scrutable_inh_clock_dt.open(results_dir + "_array_scrutable_inh_clock_dt_2891452430", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_clock_dt.is_open())
    {
        outfile__array_scrutable_inh_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_inh_clock_dt), 1*sizeof(_array_scrutable_inh_clock_dt[0]));
        outfile__array_scrutable_inh_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_inh_clock_t;
    outfile__array_scrutable_inh_clock_t.open(results_dir + "_array_scrutable_inh_clock_t_4130614813", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_clock_t.is_open())
    {
        outfile__array_scrutable_inh_clock_t.write(reinterpret_cast<char*>(_array_scrutable_inh_clock_t), 1*sizeof(_array_scrutable_inh_clock_t[0]));
        outfile__array_scrutable_inh_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_inh_clock_timestep;
    outfile__array_scrutable_inh_clock_timestep.open(results_dir + "_array_scrutable_inh_clock_timestep_3355762084", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_clock_timestep.is_open())
    {
        outfile__array_scrutable_inh_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_inh_clock_timestep), 1*sizeof(_array_scrutable_inh_clock_timestep[0]));
        outfile__array_scrutable_inh_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_inh_ge;
    outfile__array_scrutable_inh_ge.open(results_dir + "_array_scrutable_inh_ge_2271805836", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_ge.is_open())
    {
        outfile__array_scrutable_inh_ge.write(reinterpret_cast<char*>(_array_scrutable_inh_ge), 100*sizeof(_array_scrutable_inh_ge[0]));
        outfile__array_scrutable_inh_ge.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_ge." << endl;
    }
    ofstream outfile__array_scrutable_inh_gi;
    outfile__array_scrutable_inh_gi.open(results_dir + "_array_scrutable_inh_gi_2396999079", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_gi.is_open())
    {
        outfile__array_scrutable_inh_gi.write(reinterpret_cast<char*>(_array_scrutable_inh_gi), 100*sizeof(_array_scrutable_inh_gi[0]));
        outfile__array_scrutable_inh_gi.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_gi." << endl;
    }
    ofstream outfile__array_scrutable_inh_i;
    outfile__array_scrutable_inh_i.open(results_dir + "_array_scrutable_inh_i_2305819605", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_i.is_open())
    {
        outfile__array_scrutable_inh_i.write(reinterpret_cast<char*>(_array_scrutable_inh_i), 100*sizeof(_array_scrutable_inh_i[0]));
        outfile__array_scrutable_inh_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_i." << endl;
    }
    ofstream outfile__array_scrutable_inh_I_steer;
    outfile__array_scrutable_inh_I_steer.open(results_dir + "_array_scrutable_inh_I_steer_2979888687", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_I_steer.is_open())
    {
        outfile__array_scrutable_inh_I_steer.write(reinterpret_cast<char*>(_array_scrutable_inh_I_steer), 100*sizeof(_array_scrutable_inh_I_steer[0]));
        outfile__array_scrutable_inh_I_steer.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_I_steer." << endl;
    }
    ofstream outfile__array_scrutable_inh_lastspike;
    outfile__array_scrutable_inh_lastspike.open(results_dir + "_array_scrutable_inh_lastspike_2677862194", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_lastspike.is_open())
    {
        outfile__array_scrutable_inh_lastspike.write(reinterpret_cast<char*>(_array_scrutable_inh_lastspike), 100*sizeof(_array_scrutable_inh_lastspike[0]));
        outfile__array_scrutable_inh_lastspike.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_lastspike." << endl;
    }
    ofstream outfile__array_scrutable_inh_not_refractory;
    outfile__array_scrutable_inh_not_refractory.open(results_dir + "_array_scrutable_inh_not_refractory_2941530837", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_not_refractory.is_open())
    {
        outfile__array_scrutable_inh_not_refractory.write(reinterpret_cast<char*>(_array_scrutable_inh_not_refractory), 100*sizeof(_array_scrutable_inh_not_refractory[0]));
        outfile__array_scrutable_inh_not_refractory.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_not_refractory." << endl;
    }
    ofstream outfile__array_scrutable_inh_oidx;
    outfile__array_scrutable_inh_oidx.open(results_dir + "_array_scrutable_inh_oidx_839513185", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_oidx.is_open())
    {
        outfile__array_scrutable_inh_oidx.write(reinterpret_cast<char*>(_array_scrutable_inh_oidx), 100*sizeof(_array_scrutable_inh_oidx[0]));
        outfile__array_scrutable_inh_oidx.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_oidx." << endl;
    }
    ofstream outfile__array_scrutable_inh_override;
    outfile__array_scrutable_inh_override.open(results_dir + "_array_scrutable_inh_override_2735077968", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_override.is_open())
    {
        outfile__array_scrutable_inh_override.write(reinterpret_cast<char*>(_array_scrutable_inh_override), 100*sizeof(_array_scrutable_inh_override[0]));
        outfile__array_scrutable_inh_override.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_override." << endl;
    }
    ofstream outfile__array_scrutable_inh_rest_clock_dt;
    outfile__array_scrutable_inh_rest_clock_dt.open(results_dir + "_array_scrutable_inh_rest_clock_dt_610107162", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_rest_clock_dt.is_open())
    {
        outfile__array_scrutable_inh_rest_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_inh_rest_clock_dt), 1*sizeof(_array_scrutable_inh_rest_clock_dt[0]));
        outfile__array_scrutable_inh_rest_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_rest_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_inh_rest_clock_t;
    outfile__array_scrutable_inh_rest_clock_t.open(results_dir + "_array_scrutable_inh_rest_clock_t_4211203269", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_rest_clock_t.is_open())
    {
        outfile__array_scrutable_inh_rest_clock_t.write(reinterpret_cast<char*>(_array_scrutable_inh_rest_clock_t), 1*sizeof(_array_scrutable_inh_rest_clock_t[0]));
        outfile__array_scrutable_inh_rest_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_rest_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_inh_rest_clock_timestep;
    outfile__array_scrutable_inh_rest_clock_timestep.open(results_dir + "_array_scrutable_inh_rest_clock_timestep_2480523199", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_rest_clock_timestep.is_open())
    {
        outfile__array_scrutable_inh_rest_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_inh_rest_clock_timestep), 1*sizeof(_array_scrutable_inh_rest_clock_timestep[0]));
        outfile__array_scrutable_inh_rest_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_rest_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_inh_v;
    outfile__array_scrutable_inh_v.open(results_dir + "_array_scrutable_inh_v_74976800", ios::binary | ios::out);
    if(outfile__array_scrutable_inh_v.is_open())
    {
        outfile__array_scrutable_inh_v.write(reinterpret_cast<char*>(_array_scrutable_inh_v), 100*sizeof(_array_scrutable_inh_v[0]));
        outfile__array_scrutable_inh_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_inh_v." << endl;
    }
    ofstream outfile__array_scrutable_input__lastindex;
    outfile__array_scrutable_input__lastindex.open(results_dir + "_array_scrutable_input__lastindex_37733222", ios::binary | ios::out);
    if(outfile__array_scrutable_input__lastindex.is_open())
    {
        outfile__array_scrutable_input__lastindex.write(reinterpret_cast<char*>(_array_scrutable_input__lastindex), 1*sizeof(_array_scrutable_input__lastindex[0]));
        outfile__array_scrutable_input__lastindex.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input__lastindex." << endl;
    }
    ofstream outfile__array_scrutable_input__period_bins;
    outfile__array_scrutable_input__period_bins.open(results_dir + "_array_scrutable_input__period_bins_2334818750", ios::binary | ios::out);
    if(outfile__array_scrutable_input__period_bins.is_open())
    {
        outfile__array_scrutable_input__period_bins.write(reinterpret_cast<char*>(_array_scrutable_input__period_bins), 1*sizeof(_array_scrutable_input__period_bins[0]));
        outfile__array_scrutable_input__period_bins.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input__period_bins." << endl;
    }
    ofstream outfile__array_scrutable_input__spikespace;
    outfile__array_scrutable_input__spikespace.open(results_dir + "_array_scrutable_input__spikespace_3289185441", ios::binary | ios::out);
    if(outfile__array_scrutable_input__spikespace.is_open())
    {
        outfile__array_scrutable_input__spikespace.write(reinterpret_cast<char*>(_array_scrutable_input__spikespace), 65*sizeof(_array_scrutable_input__spikespace[0]));
        outfile__array_scrutable_input__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input__spikespace." << endl;
    }
    ofstream outfile__array_scrutable_input_clock_dt;
    outfile__array_scrutable_input_clock_dt.open(results_dir + "_array_scrutable_input_clock_dt_438401404", ios::binary | ios::out);
    if(outfile__array_scrutable_input_clock_dt.is_open())
    {
        outfile__array_scrutable_input_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_input_clock_dt), 1*sizeof(_array_scrutable_input_clock_dt[0]));
        outfile__array_scrutable_input_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_input_clock_t;
    outfile__array_scrutable_input_clock_t.open(results_dir + "_array_scrutable_input_clock_t_3916456226", ios::binary | ios::out);
    if(outfile__array_scrutable_input_clock_t.is_open())
    {
        outfile__array_scrutable_input_clock_t.write(reinterpret_cast<char*>(_array_scrutable_input_clock_t), 1*sizeof(_array_scrutable_input_clock_t[0]));
        outfile__array_scrutable_input_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_input_clock_timestep;
    outfile__array_scrutable_input_clock_timestep.open(results_dir + "_array_scrutable_input_clock_timestep_3441953254", ios::binary | ios::out);
    if(outfile__array_scrutable_input_clock_timestep.is_open())
    {
        outfile__array_scrutable_input_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_input_clock_timestep), 1*sizeof(_array_scrutable_input_clock_timestep[0]));
        outfile__array_scrutable_input_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_input_i;
    outfile__array_scrutable_input_i.open(results_dir + "_array_scrutable_input_i_2788409394", ios::binary | ios::out);
    if(outfile__array_scrutable_input_i.is_open())
    {
        outfile__array_scrutable_input_i.write(reinterpret_cast<char*>(_array_scrutable_input_i), 64*sizeof(_array_scrutable_input_i[0]));
        outfile__array_scrutable_input_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input_i." << endl;
    }
    ofstream outfile__array_scrutable_input_period;
    outfile__array_scrutable_input_period.open(results_dir + "_array_scrutable_input_period_4001321892", ios::binary | ios::out);
    if(outfile__array_scrutable_input_period.is_open())
    {
        outfile__array_scrutable_input_period.write(reinterpret_cast<char*>(_array_scrutable_input_period), 1*sizeof(_array_scrutable_input_period[0]));
        outfile__array_scrutable_input_period.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_input_period." << endl;
    }
    ofstream outfile__array_scrutable_mon_e__source_idx;
    outfile__array_scrutable_mon_e__source_idx.open(results_dir + "_array_scrutable_mon_e__source_idx_2406020593", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_e__source_idx.is_open())
    {
        outfile__array_scrutable_mon_e__source_idx.write(reinterpret_cast<char*>(_array_scrutable_mon_e__source_idx), 100*sizeof(_array_scrutable_mon_e__source_idx[0]));
        outfile__array_scrutable_mon_e__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_e__source_idx." << endl;
    }
    ofstream outfile__array_scrutable_mon_e_count;
    outfile__array_scrutable_mon_e_count.open(results_dir + "_array_scrutable_mon_e_count_1690883171", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_e_count.is_open())
    {
        outfile__array_scrutable_mon_e_count.write(reinterpret_cast<char*>(_array_scrutable_mon_e_count), 100*sizeof(_array_scrutable_mon_e_count[0]));
        outfile__array_scrutable_mon_e_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_e_count." << endl;
    }
    ofstream outfile__array_scrutable_mon_e_N;
    outfile__array_scrutable_mon_e_N.open(results_dir + "_array_scrutable_mon_e_N_831597841", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_e_N.is_open())
    {
        outfile__array_scrutable_mon_e_N.write(reinterpret_cast<char*>(_array_scrutable_mon_e_N), 1*sizeof(_array_scrutable_mon_e_N[0]));
        outfile__array_scrutable_mon_e_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_e_N." << endl;
    }
    ofstream outfile__array_scrutable_mon_i__source_idx;
    outfile__array_scrutable_mon_i__source_idx.open(results_dir + "_array_scrutable_mon_i__source_idx_366103562", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_i__source_idx.is_open())
    {
        outfile__array_scrutable_mon_i__source_idx.write(reinterpret_cast<char*>(_array_scrutable_mon_i__source_idx), 100*sizeof(_array_scrutable_mon_i__source_idx[0]));
        outfile__array_scrutable_mon_i__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_i__source_idx." << endl;
    }
    ofstream outfile__array_scrutable_mon_i_count;
    outfile__array_scrutable_mon_i_count.open(results_dir + "_array_scrutable_mon_i_count_2741550615", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_i_count.is_open())
    {
        outfile__array_scrutable_mon_i_count.write(reinterpret_cast<char*>(_array_scrutable_mon_i_count), 100*sizeof(_array_scrutable_mon_i_count[0]));
        outfile__array_scrutable_mon_i_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_i_count." << endl;
    }
    ofstream outfile__array_scrutable_mon_i_N;
    outfile__array_scrutable_mon_i_N.open(results_dir + "_array_scrutable_mon_i_N_948687989", ios::binary | ios::out);
    if(outfile__array_scrutable_mon_i_N.is_open())
    {
        outfile__array_scrutable_mon_i_N.write(reinterpret_cast<char*>(_array_scrutable_mon_i_N), 1*sizeof(_array_scrutable_mon_i_N[0]));
        outfile__array_scrutable_mon_i_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_mon_i_N." << endl;
    }
    ofstream outfile__array_scrutable_normalize_clock_dt;
    outfile__array_scrutable_normalize_clock_dt.open(results_dir + "_array_scrutable_normalize_clock_dt_1142244310", ios::binary | ios::out);
    if(outfile__array_scrutable_normalize_clock_dt.is_open())
    {
        outfile__array_scrutable_normalize_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_normalize_clock_dt), 1*sizeof(_array_scrutable_normalize_clock_dt[0]));
        outfile__array_scrutable_normalize_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_normalize_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_normalize_clock_t;
    outfile__array_scrutable_normalize_clock_t.open(results_dir + "_array_scrutable_normalize_clock_t_62113114", ios::binary | ios::out);
    if(outfile__array_scrutable_normalize_clock_t.is_open())
    {
        outfile__array_scrutable_normalize_clock_t.write(reinterpret_cast<char*>(_array_scrutable_normalize_clock_t), 1*sizeof(_array_scrutable_normalize_clock_t[0]));
        outfile__array_scrutable_normalize_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_normalize_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_normalize_clock_timestep;
    outfile__array_scrutable_normalize_clock_timestep.open(results_dir + "_array_scrutable_normalize_clock_timestep_2270557957", ios::binary | ios::out);
    if(outfile__array_scrutable_normalize_clock_timestep.is_open())
    {
        outfile__array_scrutable_normalize_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_normalize_clock_timestep), 1*sizeof(_array_scrutable_normalize_clock_timestep[0]));
        outfile__array_scrutable_normalize_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_normalize_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_syn_clock_dt;
    outfile__array_scrutable_syn_clock_dt.open(results_dir + "_array_scrutable_syn_clock_dt_3232019612", ios::binary | ios::out);
    if(outfile__array_scrutable_syn_clock_dt.is_open())
    {
        outfile__array_scrutable_syn_clock_dt.write(reinterpret_cast<char*>(_array_scrutable_syn_clock_dt), 1*sizeof(_array_scrutable_syn_clock_dt[0]));
        outfile__array_scrutable_syn_clock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_syn_clock_dt." << endl;
    }
    ofstream outfile__array_scrutable_syn_clock_t;
    outfile__array_scrutable_syn_clock_t.open(results_dir + "_array_scrutable_syn_clock_t_201675081", ios::binary | ios::out);
    if(outfile__array_scrutable_syn_clock_t.is_open())
    {
        outfile__array_scrutable_syn_clock_t.write(reinterpret_cast<char*>(_array_scrutable_syn_clock_t), 1*sizeof(_array_scrutable_syn_clock_t[0]));
        outfile__array_scrutable_syn_clock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_syn_clock_t." << endl;
    }
    ofstream outfile__array_scrutable_syn_clock_timestep;
    outfile__array_scrutable_syn_clock_timestep.open(results_dir + "_array_scrutable_syn_clock_timestep_2423310561", ios::binary | ios::out);
    if(outfile__array_scrutable_syn_clock_timestep.is_open())
    {
        outfile__array_scrutable_syn_clock_timestep.write(reinterpret_cast<char*>(_array_scrutable_syn_clock_timestep), 1*sizeof(_array_scrutable_syn_clock_timestep[0]));
        outfile__array_scrutable_syn_clock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_syn_clock_timestep." << endl;
    }
    ofstream outfile__array_scrutable_syn_N;
    outfile__array_scrutable_syn_N.open(results_dir + "_array_scrutable_syn_N_3479775753", ios::binary | ios::out);
    if(outfile__array_scrutable_syn_N.is_open())
    {
        outfile__array_scrutable_syn_N.write(reinterpret_cast<char*>(_array_scrutable_syn_N), 1*sizeof(_array_scrutable_syn_N[0]));
        outfile__array_scrutable_syn_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_scrutable_syn_N." << endl;
    }

    ofstream outfile__dynamic_array_scrutable_ei__synaptic_post;
    outfile__dynamic_array_scrutable_ei__synaptic_post.open(results_dir + "_dynamic_array_scrutable_ei__synaptic_post_807506885", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ei__synaptic_post.is_open())
    {
        if (! _dynamic_array_scrutable_ei__synaptic_post.empty() )
        {
            outfile__dynamic_array_scrutable_ei__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ei__synaptic_post[0]), _dynamic_array_scrutable_ei__synaptic_post.size()*sizeof(_dynamic_array_scrutable_ei__synaptic_post[0]));
            outfile__dynamic_array_scrutable_ei__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ei__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ei__synaptic_pre;
    outfile__dynamic_array_scrutable_ei__synaptic_pre.open(results_dir + "_dynamic_array_scrutable_ei__synaptic_pre_2428405232", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ei__synaptic_pre.is_open())
    {
        if (! _dynamic_array_scrutable_ei__synaptic_pre.empty() )
        {
            outfile__dynamic_array_scrutable_ei__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ei__synaptic_pre[0]), _dynamic_array_scrutable_ei__synaptic_pre.size()*sizeof(_dynamic_array_scrutable_ei__synaptic_pre[0]));
            outfile__dynamic_array_scrutable_ei__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ei__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ei_delay;
    outfile__dynamic_array_scrutable_ei_delay.open(results_dir + "_dynamic_array_scrutable_ei_delay_184718473", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ei_delay.is_open())
    {
        if (! _dynamic_array_scrutable_ei_delay.empty() )
        {
            outfile__dynamic_array_scrutable_ei_delay.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ei_delay[0]), _dynamic_array_scrutable_ei_delay.size()*sizeof(_dynamic_array_scrutable_ei_delay[0]));
            outfile__dynamic_array_scrutable_ei_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ei_delay." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ei_N_incoming;
    outfile__dynamic_array_scrutable_ei_N_incoming.open(results_dir + "_dynamic_array_scrutable_ei_N_incoming_3934475698", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ei_N_incoming.is_open())
    {
        if (! _dynamic_array_scrutable_ei_N_incoming.empty() )
        {
            outfile__dynamic_array_scrutable_ei_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ei_N_incoming[0]), _dynamic_array_scrutable_ei_N_incoming.size()*sizeof(_dynamic_array_scrutable_ei_N_incoming[0]));
            outfile__dynamic_array_scrutable_ei_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ei_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ei_N_outgoing;
    outfile__dynamic_array_scrutable_ei_N_outgoing.open(results_dir + "_dynamic_array_scrutable_ei_N_outgoing_3449759080", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ei_N_outgoing.is_open())
    {
        if (! _dynamic_array_scrutable_ei_N_outgoing.empty() )
        {
            outfile__dynamic_array_scrutable_ei_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ei_N_outgoing[0]), _dynamic_array_scrutable_ei_N_outgoing.size()*sizeof(_dynamic_array_scrutable_ei_N_outgoing[0]));
            outfile__dynamic_array_scrutable_ei_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ei_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ie__synaptic_post;
    outfile__dynamic_array_scrutable_ie__synaptic_post.open(results_dir + "_dynamic_array_scrutable_ie__synaptic_post_35334236", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ie__synaptic_post.is_open())
    {
        if (! _dynamic_array_scrutable_ie__synaptic_post.empty() )
        {
            outfile__dynamic_array_scrutable_ie__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ie__synaptic_post[0]), _dynamic_array_scrutable_ie__synaptic_post.size()*sizeof(_dynamic_array_scrutable_ie__synaptic_post[0]));
            outfile__dynamic_array_scrutable_ie__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ie__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ie__synaptic_pre;
    outfile__dynamic_array_scrutable_ie__synaptic_pre.open(results_dir + "_dynamic_array_scrutable_ie__synaptic_pre_1919549404", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ie__synaptic_pre.is_open())
    {
        if (! _dynamic_array_scrutable_ie__synaptic_pre.empty() )
        {
            outfile__dynamic_array_scrutable_ie__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ie__synaptic_pre[0]), _dynamic_array_scrutable_ie__synaptic_pre.size()*sizeof(_dynamic_array_scrutable_ie__synaptic_pre[0]));
            outfile__dynamic_array_scrutable_ie__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ie__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ie_delay;
    outfile__dynamic_array_scrutable_ie_delay.open(results_dir + "_dynamic_array_scrutable_ie_delay_2601380786", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ie_delay.is_open())
    {
        if (! _dynamic_array_scrutable_ie_delay.empty() )
        {
            outfile__dynamic_array_scrutable_ie_delay.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ie_delay[0]), _dynamic_array_scrutable_ie_delay.size()*sizeof(_dynamic_array_scrutable_ie_delay[0]));
            outfile__dynamic_array_scrutable_ie_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ie_delay." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ie_N_incoming;
    outfile__dynamic_array_scrutable_ie_N_incoming.open(results_dir + "_dynamic_array_scrutable_ie_N_incoming_1966318024", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ie_N_incoming.is_open())
    {
        if (! _dynamic_array_scrutable_ie_N_incoming.empty() )
        {
            outfile__dynamic_array_scrutable_ie_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ie_N_incoming[0]), _dynamic_array_scrutable_ie_N_incoming.size()*sizeof(_dynamic_array_scrutable_ie_N_incoming[0]));
            outfile__dynamic_array_scrutable_ie_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ie_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_ie_N_outgoing;
    outfile__dynamic_array_scrutable_ie_N_outgoing.open(results_dir + "_dynamic_array_scrutable_ie_N_outgoing_1378865426", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_ie_N_outgoing.is_open())
    {
        if (! _dynamic_array_scrutable_ie_N_outgoing.empty() )
        {
            outfile__dynamic_array_scrutable_ie_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_ie_N_outgoing[0]), _dynamic_array_scrutable_ie_N_outgoing.size()*sizeof(_dynamic_array_scrutable_ie_N_outgoing[0]));
            outfile__dynamic_array_scrutable_ie_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_ie_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_input__timebins;
    outfile__dynamic_array_scrutable_input__timebins.open(results_dir + "_dynamic_array_scrutable_input__timebins_114861242", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_input__timebins.is_open())
    {
        if (! _dynamic_array_scrutable_input__timebins.empty() )
        {
            outfile__dynamic_array_scrutable_input__timebins.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_input__timebins[0]), _dynamic_array_scrutable_input__timebins.size()*sizeof(_dynamic_array_scrutable_input__timebins[0]));
            outfile__dynamic_array_scrutable_input__timebins.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_input__timebins." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_input_neuron_index;
    outfile__dynamic_array_scrutable_input_neuron_index.open(results_dir + "_dynamic_array_scrutable_input_neuron_index_1181665329", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_input_neuron_index.is_open())
    {
        if (! _dynamic_array_scrutable_input_neuron_index.empty() )
        {
            outfile__dynamic_array_scrutable_input_neuron_index.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_input_neuron_index[0]), _dynamic_array_scrutable_input_neuron_index.size()*sizeof(_dynamic_array_scrutable_input_neuron_index[0]));
            outfile__dynamic_array_scrutable_input_neuron_index.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_input_neuron_index." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_input_spike_number;
    outfile__dynamic_array_scrutable_input_spike_number.open(results_dir + "_dynamic_array_scrutable_input_spike_number_898039553", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_input_spike_number.is_open())
    {
        if (! _dynamic_array_scrutable_input_spike_number.empty() )
        {
            outfile__dynamic_array_scrutable_input_spike_number.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_input_spike_number[0]), _dynamic_array_scrutable_input_spike_number.size()*sizeof(_dynamic_array_scrutable_input_spike_number[0]));
            outfile__dynamic_array_scrutable_input_spike_number.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_input_spike_number." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_input_spike_time;
    outfile__dynamic_array_scrutable_input_spike_time.open(results_dir + "_dynamic_array_scrutable_input_spike_time_2247730475", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_input_spike_time.is_open())
    {
        if (! _dynamic_array_scrutable_input_spike_time.empty() )
        {
            outfile__dynamic_array_scrutable_input_spike_time.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_input_spike_time[0]), _dynamic_array_scrutable_input_spike_time.size()*sizeof(_dynamic_array_scrutable_input_spike_time[0]));
            outfile__dynamic_array_scrutable_input_spike_time.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_input_spike_time." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_mon_e_i;
    outfile__dynamic_array_scrutable_mon_e_i.open(results_dir + "_dynamic_array_scrutable_mon_e_i_1917613694", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_mon_e_i.is_open())
    {
        if (! _dynamic_array_scrutable_mon_e_i.empty() )
        {
            outfile__dynamic_array_scrutable_mon_e_i.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_mon_e_i[0]), _dynamic_array_scrutable_mon_e_i.size()*sizeof(_dynamic_array_scrutable_mon_e_i[0]));
            outfile__dynamic_array_scrutable_mon_e_i.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_mon_e_i." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_mon_e_t;
    outfile__dynamic_array_scrutable_mon_e_t.open(results_dir + "_dynamic_array_scrutable_mon_e_t_290069159", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_mon_e_t.is_open())
    {
        if (! _dynamic_array_scrutable_mon_e_t.empty() )
        {
            outfile__dynamic_array_scrutable_mon_e_t.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_mon_e_t[0]), _dynamic_array_scrutable_mon_e_t.size()*sizeof(_dynamic_array_scrutable_mon_e_t[0]));
            outfile__dynamic_array_scrutable_mon_e_t.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_mon_e_t." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_mon_i_i;
    outfile__dynamic_array_scrutable_mon_i_i.open(results_dir + "_dynamic_array_scrutable_mon_i_i_2069270298", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_mon_i_i.is_open())
    {
        if (! _dynamic_array_scrutable_mon_i_i.empty() )
        {
            outfile__dynamic_array_scrutable_mon_i_i.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_mon_i_i[0]), _dynamic_array_scrutable_mon_i_i.size()*sizeof(_dynamic_array_scrutable_mon_i_i[0]));
            outfile__dynamic_array_scrutable_mon_i_i.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_mon_i_i." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_mon_i_t;
    outfile__dynamic_array_scrutable_mon_i_t.open(results_dir + "_dynamic_array_scrutable_mon_i_t_407954371", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_mon_i_t.is_open())
    {
        if (! _dynamic_array_scrutable_mon_i_t.empty() )
        {
            outfile__dynamic_array_scrutable_mon_i_t.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_mon_i_t[0]), _dynamic_array_scrutable_mon_i_t.size()*sizeof(_dynamic_array_scrutable_mon_i_t[0]));
            outfile__dynamic_array_scrutable_mon_i_t.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_mon_i_t." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn__synaptic_post;
    outfile__dynamic_array_scrutable_syn__synaptic_post.open(results_dir + "_dynamic_array_scrutable_syn__synaptic_post_2222762887", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn__synaptic_post.is_open())
    {
        if (! _dynamic_array_scrutable_syn__synaptic_post.empty() )
        {
            outfile__dynamic_array_scrutable_syn__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn__synaptic_post[0]), _dynamic_array_scrutable_syn__synaptic_post.size()*sizeof(_dynamic_array_scrutable_syn__synaptic_post[0]));
            outfile__dynamic_array_scrutable_syn__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn__synaptic_pre;
    outfile__dynamic_array_scrutable_syn__synaptic_pre.open(results_dir + "_dynamic_array_scrutable_syn__synaptic_pre_3325620236", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn__synaptic_pre.is_open())
    {
        if (! _dynamic_array_scrutable_syn__synaptic_pre.empty() )
        {
            outfile__dynamic_array_scrutable_syn__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn__synaptic_pre[0]), _dynamic_array_scrutable_syn__synaptic_pre.size()*sizeof(_dynamic_array_scrutable_syn__synaptic_pre[0]));
            outfile__dynamic_array_scrutable_syn__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_apost1;
    outfile__dynamic_array_scrutable_syn_apost1.open(results_dir + "_dynamic_array_scrutable_syn_apost1_4039969423", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_apost1.is_open())
    {
        if (! _dynamic_array_scrutable_syn_apost1.empty() )
        {
            outfile__dynamic_array_scrutable_syn_apost1.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_apost1[0]), _dynamic_array_scrutable_syn_apost1.size()*sizeof(_dynamic_array_scrutable_syn_apost1[0]));
            outfile__dynamic_array_scrutable_syn_apost1.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_apost1." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_apost2;
    outfile__dynamic_array_scrutable_syn_apost2.open(results_dir + "_dynamic_array_scrutable_syn_apost2_1774476085", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_apost2.is_open())
    {
        if (! _dynamic_array_scrutable_syn_apost2.empty() )
        {
            outfile__dynamic_array_scrutable_syn_apost2.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_apost2[0]), _dynamic_array_scrutable_syn_apost2.size()*sizeof(_dynamic_array_scrutable_syn_apost2[0]));
            outfile__dynamic_array_scrutable_syn_apost2.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_apost2." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_apre;
    outfile__dynamic_array_scrutable_syn_apre.open(results_dir + "_dynamic_array_scrutable_syn_apre_544194026", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_apre.is_open())
    {
        if (! _dynamic_array_scrutable_syn_apre.empty() )
        {
            outfile__dynamic_array_scrutable_syn_apre.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_apre[0]), _dynamic_array_scrutable_syn_apre.size()*sizeof(_dynamic_array_scrutable_syn_apre[0]));
            outfile__dynamic_array_scrutable_syn_apre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_apre." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_delay;
    outfile__dynamic_array_scrutable_syn_delay.open(results_dir + "_dynamic_array_scrutable_syn_delay_1725374829", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_delay.is_open())
    {
        if (! _dynamic_array_scrutable_syn_delay.empty() )
        {
            outfile__dynamic_array_scrutable_syn_delay.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_delay[0]), _dynamic_array_scrutable_syn_delay.size()*sizeof(_dynamic_array_scrutable_syn_delay[0]));
            outfile__dynamic_array_scrutable_syn_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_delay." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_delay_1;
    outfile__dynamic_array_scrutable_syn_delay_1.open(results_dir + "_dynamic_array_scrutable_syn_delay_1_2971545661", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_delay_1.is_open())
    {
        if (! _dynamic_array_scrutable_syn_delay_1.empty() )
        {
            outfile__dynamic_array_scrutable_syn_delay_1.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_delay_1[0]), _dynamic_array_scrutable_syn_delay_1.size()*sizeof(_dynamic_array_scrutable_syn_delay_1[0]));
            outfile__dynamic_array_scrutable_syn_delay_1.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_delay_1." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_lastupdate;
    outfile__dynamic_array_scrutable_syn_lastupdate.open(results_dir + "_dynamic_array_scrutable_syn_lastupdate_3756206826", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_lastupdate.is_open())
    {
        if (! _dynamic_array_scrutable_syn_lastupdate.empty() )
        {
            outfile__dynamic_array_scrutable_syn_lastupdate.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_lastupdate[0]), _dynamic_array_scrutable_syn_lastupdate.size()*sizeof(_dynamic_array_scrutable_syn_lastupdate[0]));
            outfile__dynamic_array_scrutable_syn_lastupdate.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_lastupdate." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_N_incoming;
    outfile__dynamic_array_scrutable_syn_N_incoming.open(results_dir + "_dynamic_array_scrutable_syn_N_incoming_1181378612", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_N_incoming.is_open())
    {
        if (! _dynamic_array_scrutable_syn_N_incoming.empty() )
        {
            outfile__dynamic_array_scrutable_syn_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_N_incoming[0]), _dynamic_array_scrutable_syn_N_incoming.size()*sizeof(_dynamic_array_scrutable_syn_N_incoming[0]));
            outfile__dynamic_array_scrutable_syn_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_N_outgoing;
    outfile__dynamic_array_scrutable_syn_N_outgoing.open(results_dir + "_dynamic_array_scrutable_syn_N_outgoing_1635129582", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_N_outgoing.is_open())
    {
        if (! _dynamic_array_scrutable_syn_N_outgoing.empty() )
        {
            outfile__dynamic_array_scrutable_syn_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_N_outgoing[0]), _dynamic_array_scrutable_syn_N_outgoing.size()*sizeof(_dynamic_array_scrutable_syn_N_outgoing[0]));
            outfile__dynamic_array_scrutable_syn_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_post2before;
    outfile__dynamic_array_scrutable_syn_post2before.open(results_dir + "_dynamic_array_scrutable_syn_post2before_1862976960", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_post2before.is_open())
    {
        if (! _dynamic_array_scrutable_syn_post2before.empty() )
        {
            outfile__dynamic_array_scrutable_syn_post2before.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_post2before[0]), _dynamic_array_scrutable_syn_post2before.size()*sizeof(_dynamic_array_scrutable_syn_post2before[0]));
            outfile__dynamic_array_scrutable_syn_post2before.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_post2before." << endl;
    }
    ofstream outfile__dynamic_array_scrutable_syn_w;
    outfile__dynamic_array_scrutable_syn_w.open(results_dir + "_dynamic_array_scrutable_syn_w_702012157", ios::binary | ios::out);
    if(outfile__dynamic_array_scrutable_syn_w.is_open())
    {
        if (! _dynamic_array_scrutable_syn_w.empty() )
        {
            outfile__dynamic_array_scrutable_syn_w.write(reinterpret_cast<char*>(&_dynamic_array_scrutable_syn_w[0]), _dynamic_array_scrutable_syn_w.size()*sizeof(_dynamic_array_scrutable_syn_w[0]));
            outfile__dynamic_array_scrutable_syn_w.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_scrutable_syn_w." << endl;
    }

    // Write last run info to disk
    ofstream outfile_last_run_info;
    outfile_last_run_info.open(results_dir + "last_run_info.txt", ios::out);
    if(outfile_last_run_info.is_open())
    {
        outfile_last_run_info << (Network::_last_run_time) << " " << (Network::_last_run_completed_fraction) << std::endl;
        outfile_last_run_info.close();
    } else
    {
        std::cout << "Error writing last run info to file." << std::endl;
    }
}

void _dealloc_arrays()
{
    using namespace brian;


    // static arrays
    if(_static_array__array_scrutable_exc_theta!=0)
    {
        delete [] _static_array__array_scrutable_exc_theta;
        _static_array__array_scrutable_exc_theta = 0;
    }
    if(_static_array__dynamic_array_scrutable_input__timebins!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_input__timebins;
        _static_array__dynamic_array_scrutable_input__timebins = 0;
    }
    if(_static_array__dynamic_array_scrutable_input_neuron_index!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_input_neuron_index;
        _static_array__dynamic_array_scrutable_input_neuron_index = 0;
    }
    if(_static_array__dynamic_array_scrutable_input_spike_number!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_input_spike_number;
        _static_array__dynamic_array_scrutable_input_spike_number = 0;
    }
    if(_static_array__dynamic_array_scrutable_input_spike_time!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_input_spike_time;
        _static_array__dynamic_array_scrutable_input_spike_time = 0;
    }
    if(_static_array__dynamic_array_scrutable_syn_delay!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_syn_delay;
        _static_array__dynamic_array_scrutable_syn_delay = 0;
    }
    if(_static_array__dynamic_array_scrutable_syn_w!=0)
    {
        delete [] _static_array__dynamic_array_scrutable_syn_w;
        _static_array__dynamic_array_scrutable_syn_w = 0;
    }
    if(_timedarray_values!=0)
    {
        delete [] _timedarray_values;
        _timedarray_values = 0;
    }
}

